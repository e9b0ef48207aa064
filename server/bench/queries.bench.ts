import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { isMain, now, percentile, report, row, type Row, startOrchestrator } from './harness.js';
import { type ScaleSizes, type ScaleStore, scaleStore } from './seed-scale.js';

// Queries at scale: the operations people run against a store with 100,000 runs, 1,000 hypotheses
// and 5,000,000 events, timed on the server (the GraphQL round trip minus a `{ __typename }` round
// trip), each beside the raw better-sqlite3 statements the operation needs at minimum, timed directly.

export interface QueriesOptions {
  sizes: ScaleSizes;
  /** Timed repetitions of each operation (after 3 untimed ones). */
  iterations: number;
  /** Pages walked through the filtered runs list. */
  pages: number;
}

const RUN_ROW = 'id status hidden createdAt updatedAt createdBy startedAt completedAt failedAt errorType hypothesis { id title } currentStage { name progress }';

const RUNS_PAGE = `query RunTable($first: Int!, $after: String, $filter: RunFilterInput, $order: SortDirection!) {
  runs(first: $first, after: $after, filter: $filter, order: $order) { totalCount pageInfo { hasNextPage endCursor } nodes { ${RUN_ROW} } }
}`;

// The web app's run detail page (web/src/runs/graphql/run-detail.graphql and its fragments).
const RUN_DETAIL = `query RunDetail($id: ID!) {
  run(id: $id) {
    id status hidden createdAt createdBy startedAt completedAt failedAt updatedAt lastHeartbeat lastEventSeq
    hypothesis { id title idea }
    statusHistory { from to at by reason }
    errorType errorMessage errorTraceback
    paper { status artifactKey wordCount at }
    currentStage { name progress iteration maxIterations goodNodes buggyNodes totalNodes bestMetric etaS updatedAt }
    stages { name status progress description startedAt completedAt durationS bestNodeId bestMetric summary }
    stageTiming { stage elapsedS durationS startedAt completedAt }
    nodeHistory { nodeId stage iteration isBuggy metric timestamp }
    nodes { nodeId stage parentId status isBuggy metric execTimeS codeSizeBytes createdAt completedAt }
    metrics { name value stage at }
    pod { id instanceType region image at }
    telemetry { gpuUtil memGb tempC at }
    artifacts { key kind status bytes contentType sha256 errorCode errorMessage createdAt updatedAt }
    validations { id kind status verdict scores { name score } notes model reviewer rubricVersion startedAt completedAt }
  }
}`;

const LOG_LINE = 'id seq time level source message kv';
const RUN_LOGS = `query RunLogs($runId: ID!, $first: Int!, $search: String) {
  run(id: $runId) { id logs(first: $first, order: DESC, search: $search) { totalCount pageInfo { hasNextPage endCursor } nodes { ${LOG_LINE} } } }
}`;

const OVERVIEW = `query Overview {
  overview {
    runsByStatus { status count } totalRuns slots { max inUse free }
    queues { name waiting active delayed failed } validationQueueSize ideations { status count }
    latestRuns { ${RUN_ROW} }
    mostActiveHypotheses { hypothesisId title runCount lastRunAt }
    finishedLast24h finishedLast7d failureReasons { errorType count lastAt }
    stageDurations { stage averageS samples } drainEstimateS
  }
}`;

interface Timings {
  p50: number;
  p95: number;
}

const summarise = (samples: number[]): Timings => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
};

async function request(url: string, query: string, variables: Record<string, unknown> = {}): Promise<{ ms: number; data: any }> {
  const body = JSON.stringify({ query, variables });
  const started = now();
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json = (await response.json()) as { data: any; errors?: unknown };
  const ms = now() - started;
  if (json.errors) throw new Error(JSON.stringify(json.errors).slice(0, 500));
  return { ms, data: json.data };
}

/** Times `times` round trips of an operation, each followed by a `{ __typename }` one; the difference is server time. */
async function serverTime(url: string, times: number, next: (i: number) => { query: string; variables?: Record<string, unknown> }): Promise<Timings & { trivial: number }> {
  const samples: number[] = [];
  const trivial: number[] = [];
  for (let i = -3; i < times; i++) {
    const operation = next(Math.max(0, i));
    const { ms } = await request(url, operation.query, operation.variables);
    const { ms: base } = await request(url, '{ __typename }');
    if (i < 0) continue;
    samples.push(ms);
    trivial.push(base);
  }
  const baseline = percentile([...trivial].sort((a, b) => a - b), 50);
  return { ...summarise(samples.map((ms) => Math.max(0, ms - baseline))), trivial: baseline };
}

function rawTime(times: number, work: (i: number) => void): Timings {
  const samples: number[] = [];
  for (let i = -3; i < times; i++) {
    const started = now();
    work(Math.max(0, i));
    if (i >= 0) samples.push(now() - started);
  }
  return summarise(samples);
}

/** `store`: another seeded data dir (e.g. a copy without some indexes, to compare); default: the cached one for `sizes`. */
export async function queriesBench(
  options: QueriesOptions,
  log: (message: string) => void = console.log,
  store: ScaleStore = scaleStore(options.sizes, log),
): Promise<{ rows: Row[]; context: Record<string, unknown> }> {
  // The server's own embedded Redis keeps its append-only file in the data dir: start clean each time.
  rmSync(join(store.dataDir, 'redis'), { recursive: true, force: true });
  const orchestrator = await startOrchestrator({ dataDir: store.dataDir });
  const raw = new Database(join(store.dataDir, 'orchestrator.sqlite'), { readonly: true, fileMustExist: true });
  const section = 'queries at scale';
  const rows: Row[] = [];
  const context: Record<string, unknown> = { sizes: store.sizes, seededNow: store.seededNow, seedSeconds: store.seedSeconds, startupOnStoreMs: orchestrator.readyAfterMs };
  const add = (metric: string, api: Timings, minimum: Timings, what: string) => {
    rows.push(row(section, `${metric} p50`, api.p50, 'ms', { value: minimum.p50, name: what }));
    rows.push(row(section, `${metric} p95`, api.p95, 'ms', { value: minimum.p95, name: what }));
    context[metric] = { api, minimum };
  };
  try {
    const url = orchestrator.url;
    const filter = { status: ['COMPLETED'], hidden: false };

    // Runs list, filtered by status, walked page by page with cursors.
    const cursors: (string | null)[] = [null];
    for (let p = 0; p < options.pages; p++) {
      const { data } = await request(url, RUNS_PAGE, { first: 50, after: cursors[p], filter, order: 'DESC' });
      cursors.push(data.runs.pageInfo.endCursor as string);
    }
    const runsApi = await serverTime(url, Math.min(options.pages, options.iterations * 3), (i) => ({
      query: RUNS_PAGE,
      variables: { first: 50, after: cursors[(i * 7) % options.pages], filter, order: 'DESC' },
    }));
    const page = raw.prepare(
      `SELECT r.*, h.title FROM runs r JOIN hypotheses h ON h.id = r.hypothesis_id
       WHERE r.status IN ('COMPLETED') AND r.hidden = 0 AND (r.created_at, r.id) < (?, ?)
       ORDER BY r.created_at DESC, r.id DESC LIMIT 51`,
    );
    const firstPage = raw.prepare(
      `SELECT r.*, h.title FROM runs r JOIN hypotheses h ON h.id = r.hypothesis_id
       WHERE r.status IN ('COMPLETED') AND r.hidden = 0 ORDER BY r.created_at DESC, r.id DESC LIMIT 51`,
    );
    const decoded = cursors.map((c) => (c ? (JSON.parse(Buffer.from(c, 'base64url').toString('utf8')) as [number, string]) : null));
    const runsRaw = rawTime(Math.min(options.pages, options.iterations * 3), (i) => {
      const cursor = decoded[(i * 7) % options.pages];
      if (cursor) page.all(cursor[0], cursor[1]);
      else firstPage.all();
    });
    add(`runs list (status filter, 50/page, up to ${options.pages * 50} deep)`, runsApi, runsRaw, 'keyset page query');
    context.trivialRoundTripMs = runsApi.trivial;

    // A run's detail page.
    const runId = store.bigRunId;
    const detailApi = await serverTime(url, options.iterations, () => ({ query: RUN_DETAIL, variables: { id: runId } }));
    const detailStatements = [
      raw.prepare('SELECT * FROM runs WHERE id = ?'),
      raw.prepare('SELECT * FROM hypotheses WHERE id = (SELECT hypothesis_id FROM runs WHERE id = ?)'),
      raw.prepare('SELECT * FROM stages WHERE run_id = ? ORDER BY name'),
      raw.prepare('SELECT * FROM nodes WHERE run_id = ?'),
      raw.prepare('SELECT * FROM nodes WHERE run_id = ? AND completed_at IS NOT NULL ORDER BY completed_at'),
      raw.prepare('SELECT * FROM run_metrics WHERE run_id = ?'),
      raw.prepare('SELECT * FROM artifacts WHERE run_id = ?'),
      raw.prepare('SELECT * FROM validations WHERE run_id = ?'),
    ];
    const detailRaw = rawTime(options.iterations, () => detailStatements.forEach((s) => s.all(runId)));
    add(`run detail (${store.sizes.eventsPerBigRun} events, 80 nodes)`, detailApi, detailRaw, '8 point queries');

    // The newest 500 log lines of that run.
    const logsApi = await serverTime(url, options.iterations, () => ({ query: RUN_LOGS, variables: { runId, first: 500 } }));
    const lastLogs = raw.prepare("SELECT * FROM events WHERE run_id = ? AND type = 'ai.run.log' ORDER BY seq DESC LIMIT 501");
    const logsRaw = rawTime(options.iterations, () => lastLogs.all(runId).forEach((r) => JSON.parse((r as { data: string }).data)));
    add('last 500 log lines of that run', logsApi, logsRaw, 'index range + JSON.parse');

    // A text search in that run's logs (first page of matches).
    const searchApi = await serverTime(url, options.iterations, () => ({ query: RUN_LOGS, variables: { runId, first: 50, search: store.searchPhrase } }));
    const search = raw.prepare("SELECT * FROM events WHERE run_id = ? AND type = 'ai.run.log' AND message LIKE ? ESCAPE '\\' ORDER BY seq DESC LIMIT 51");
    const searchRaw = rawTime(options.iterations, () => search.all(runId, `%${store.searchPhrase}%`));
    add('log search in that run (first 50 matches)', searchApi, searchRaw, 'LIKE over the run\'s lines');

    // The overview (dashboard).
    const overviewApi = await serverTime(url, options.iterations, () => ({ query: OVERVIEW }));
    const day = Date.now() - 24 * 3600 * 1000;
    const week = Date.now() - 7 * 24 * 3600 * 1000;
    const overviewStatements: [Database.Statement, unknown[]][] = [
      [raw.prepare('SELECT status, count(*) AS n FROM runs GROUP BY status'), []],
      [raw.prepare('SELECT sum(coalesce(completed_at, failed_at) >= ?) AS day, sum(coalesce(completed_at, failed_at) >= ?) AS week FROM runs WHERE coalesce(completed_at, failed_at) >= ?'), [day, week, week]],
      [raw.prepare("SELECT error_type, count(*) AS n, max(coalesce(failed_at, updated_at)) AS last FROM runs WHERE status = 'FAILED' AND error_type IS NOT NULL GROUP BY error_type ORDER BY n DESC, last DESC LIMIT 5"), []],
      [raw.prepare('SELECT hypothesis_id, count(*) AS n, max(created_at) AS last FROM runs WHERE hidden = 0 GROUP BY hypothesis_id ORDER BY n DESC, last DESC LIMIT 5'), []],
      [raw.prepare("SELECT name, avg(coalesce(duration_s, (completed_at - started_at) / 1000.0)) AS average, count(*) AS n FROM stages WHERE status = 'COMPLETED' AND completed_at >= ? AND (duration_s IS NOT NULL OR started_at IS NOT NULL) GROUP BY name ORDER BY name"), [Date.now() - 30 * 24 * 3600 * 1000]],
      [raw.prepare('SELECT * FROM runs WHERE hidden = 0 ORDER BY created_at DESC, id DESC LIMIT 6'), []],
      [raw.prepare("SELECT count(*) AS n FROM runs WHERE hidden = 0 AND (status = 'AWAITING_HUMAN' OR (status = 'COMPLETED' AND EXISTS (SELECT 1 FROM validations v WHERE v.run_id = runs.id AND v.kind = 'AUTO') AND NOT EXISTS (SELECT 1 FROM validations v WHERE v.run_id = runs.id AND v.kind = 'HUMAN')))"), []],
    ];
    const overviewRaw = rawTime(options.iterations, () => overviewStatements.forEach(([s, params]) => s.all(...params)));
    add('overview (dashboard)', overviewApi, overviewRaw, 'its 7 aggregate statements');
  } finally {
    raw.close();
    await orchestrator.stop();
    rmSync(join(store.dataDir, 'redis'), { recursive: true, force: true });
  }
  return { rows, context };
}

if (isMain(import.meta.url)) {
  const full = process.env.BENCH_SCALE === 'full';
  const { rows, context } = await queriesBench({
    sizes: full
      ? { runs: 100_000, hypotheses: 1_000, events: 5_000_000, bigRuns: 10, eventsPerBigRun: 200_000 }
      : { runs: 10_000, hypotheses: 100, events: 500_000, bigRuns: 5, eventsPerBigRun: 50_000 },
    iterations: full ? 30 : 10,
    pages: full ? 200 : 40,
  });
  report('queries', rows, context);
}
