import { dataOf, type TestApp } from '../../support/test-app.js';

export interface StoredEventRow {
  seq: number;
  id: string;
  type: string;
  source: string;
  sourceSeq: number | null;
  data: Record<string, unknown>;
}

const EVENTS_PAGE = /* GraphQL */ `
  query ReliabilityEvents($id: ID!, $after: String) {
    run(id: $id) {
      events(first: 500, after: $after, order: ASC) {
        nodes { seq id type source sourceSeq data }
        pageInfo { endCursor hasNextPage }
      }
    }
  }
`;

/** Every stored event of a run, oldest first, through the API. */
export async function allEvents(app: Pick<TestApp, 'graphql'>, runId: string, token?: string): Promise<StoredEventRow[]> {
  const events: StoredEventRow[] = [];
  let after: string | null = null;
  for (;;) {
    const page: { nodes: StoredEventRow[]; pageInfo: { endCursor: string | null; hasNextPage: boolean } } = dataOf(
      await app.graphql(EVENTS_PAGE, { id: runId, after }, token),
    ).run.events;
    events.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return events;
    after = page.pageInfo.endCursor;
  }
}

/**
 * Events a worker emitted that the store does not hold: per worker source, the seq counter must
 * run 1, 2, 3... to its last value (a source restarting at 1 counts again from there).
 */
export function missingPerSource(events: StoredEventRow[], sourcePrefix = 'worker://'): number {
  const bySource = new Map<string, number[]>();
  for (const e of events) if (e.source.startsWith(sourcePrefix) && e.sourceSeq !== null) bySource.set(e.source, [...(bySource.get(e.source) ?? []), e.sourceSeq]);
  let missing = 0;
  for (const seqs of bySource.values()) {
    const seen = new Set(seqs);
    const top = Math.max(...seqs);
    for (let s = 1; s <= top; s++) if (!seen.has(s)) missing++;
  }
  return missing;
}
