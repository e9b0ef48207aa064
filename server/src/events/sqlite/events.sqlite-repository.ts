import type Database from 'better-sqlite3';
import { SortDirection } from '../../common/pagination/cursor.js';
import { placeholders } from '../../infra/persistence/sqlite/codec.js';
import { whereClause } from '../../infra/persistence/sqlite/keyset.js';
import type { IncomingEvent, LogLevel, StoredEvent } from '../event.js';
import { numbered, splitDuplicates } from '../event.js';
import type { EventPositions, EventQuery, EventsRepository } from '../events.repository.js';

interface EventRow {
  run_id: string;
  seq: number;
  id: string;
  type: string;
  source: string;
  source_seq: number | null;
  time: number;
  received_at: number;
  level: string | null;
  message: string | null;
  data: string;
  traceparent: string | null;
  known: number;
  outcome: string | null;
}

function fromRow(row: EventRow): StoredEvent {
  return {
    runId: row.run_id,
    seq: row.seq,
    id: row.id,
    type: row.type,
    source: row.source,
    sourceSeq: row.source_seq,
    time: new Date(row.time),
    receivedAt: new Date(row.received_at),
    level: row.level as LogLevel | null,
    message: row.message,
    data: JSON.parse(row.data) as Record<string, unknown>,
    traceparent: row.traceparent,
    known: row.known === 1,
    outcome: row.outcome,
  };
}

// SQLite's limit on bound parameters is far above this; chunks keep statements small.
const CHUNK = 500;
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export class SqliteEventsRepository implements EventsRepository {
  private readonly insert;
  private readonly reserve;
  private readonly positionsOf;
  private readonly after;
  private readonly applied;
  private readonly pending;
  private readonly outcome;
  private readonly appendAll;

  constructor(private readonly db: Database.Database) {
    this.insert = db.prepare(
      `INSERT INTO events (run_id, seq, id, type, source, source_seq, time, received_at, level, message, data, traceparent, known, outcome)
       VALUES (@runId, @seq, @id, @type, @source, @sourceSeq, @time, @receivedAt, @level, @message, @data, @traceparent, @known, @outcome)`,
    );
    this.reserve = db.prepare<[string, number], { last_seq: number }>(
      `INSERT INTO event_positions (run_id, last_seq, applied_seq) VALUES (?, ?, 0)
       ON CONFLICT (run_id) DO UPDATE SET last_seq = last_seq + excluded.last_seq
       RETURNING last_seq`,
    );
    this.positionsOf = db.prepare<[string], { last_seq: number; applied_seq: number }>(
      'SELECT last_seq, applied_seq FROM event_positions WHERE run_id = ?',
    );
    this.after = db.prepare<[string, number, number], EventRow>('SELECT * FROM events WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?');
    this.applied = db.prepare<[number, string, number, number]>(
      'UPDATE event_positions SET applied_seq = ? WHERE run_id = ? AND applied_seq = ? AND last_seq >= ?',
    );
    this.pending = db.prepare<[], { run_id: string }>('SELECT run_id FROM event_positions WHERE applied_seq < last_seq');
    this.outcome = db.prepare<[string, string, number]>('UPDATE events SET outcome = ? WHERE run_id = ? AND seq = ? AND outcome IS NULL');

    // One transaction: which ids exist, the block of positions, the rows. Serialised by SQLite across processes.
    this.appendAll = db.transaction((runId: string, events: readonly IncomingEvent[], receivedAt: number) => {
      const existing = new Set<string>();
      for (let i = 0; i < events.length; i += CHUNK) {
        const ids = events.slice(i, i + CHUNK).map((e) => e.id);
        const rows = this.idsAmong(ids.length).all(...ids);
        for (const row of rows) existing.add(row.id);
      }
      const { fresh, duplicateIds } = splitDuplicates(events, existing);
      if (fresh.length === 0) return { stored: [], duplicateIds };
      const last = this.reserve.get(runId, fresh.length)!.last_seq;
      const stored = numbered(fresh, last - fresh.length + 1, new Date(receivedAt));
      for (const event of stored) {
        this.insert.run({
          runId,
          seq: event.seq,
          id: event.id,
          type: event.type,
          source: event.source,
          sourceSeq: event.sourceSeq,
          time: event.time.getTime(),
          receivedAt,
          level: event.level,
          message: event.message,
          data: JSON.stringify(event.data),
          traceparent: event.traceparent,
          known: event.known ? 1 : 0,
          outcome: event.outcome,
        });
      }
      return { stored, duplicateIds };
    });
  }

  // Prepared once per list length (at most CHUNK of them): every ingest request asks this.
  private readonly idsAmongBySize = new Map<number, Database.Statement<string[], { id: string }>>();
  private idsAmong(size: number): Database.Statement<string[], { id: string }> {
    let statement = this.idsAmongBySize.get(size);
    if (!statement) {
      statement = this.db.prepare<string[], { id: string }>(`SELECT id FROM events WHERE id IN (${placeholders(size)})`);
      this.idsAmongBySize.set(size, statement);
    }
    return statement;
  }

  async append(runId: string, events: readonly IncomingEvent[], receivedAt: Date) {
    return this.appendAll.immediate(runId, events, receivedAt.getTime());
  }

  async positions(runId: string): Promise<EventPositions> {
    const row = this.positionsOf.get(runId);
    return { lastSeq: row?.last_seq ?? 0, appliedSeq: row?.applied_seq ?? 0 };
  }

  async listAfter(runId: string, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    return this.after.all(runId, afterSeq, limit).map(fromRow);
  }

  async markApplied(runId: string, expectedAppliedSeq: number, appliedSeq: number): Promise<boolean> {
    return this.applied.run(appliedSeq, runId, expectedAppliedSeq, appliedSeq).changes === 1;
  }

  async runsWithPendingProjection(): Promise<string[]> {
    return this.pending.all().map((r) => r.run_id);
  }

  async setOutcomes(runId: string, outcomes: readonly { seq: number; outcome: string }[]): Promise<void> {
    if (outcomes.length === 0) return;
    this.db.transaction(() => {
      for (const o of outcomes) this.outcome.run(o.outcome, runId, o.seq);
    })();
  }

  async list(runId: string, query: EventQuery): Promise<{ items: StoredEvent[]; hasMore: boolean }> {
    const where = this.conditions(runId, query);
    if (query.afterSeq !== undefined) where.push({ sql: 'seq > ?', params: [query.afterSeq] });
    if (query.beforeSeq !== undefined) where.push({ sql: 'seq < ?', params: [query.beforeSeq] });
    const order = query.direction === SortDirection.ASC ? 'ASC' : 'DESC';
    const rows = this.db
      .prepare<unknown[], EventRow>(`SELECT * FROM events ${whereClause(where.map((w) => w.sql))} ORDER BY seq ${order} LIMIT ?`)
      .all(...where.flatMap((w) => w.params), query.limit + 1);
    return { items: rows.slice(0, query.limit).map(fromRow), hasMore: rows.length > query.limit };
  }

  async count(runId: string, query: Omit<EventQuery, 'limit' | 'direction' | 'afterSeq' | 'beforeSeq'>): Promise<number> {
    const where = this.conditions(runId, query);
    return this.db
      .prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM events ${whereClause(where.map((w) => w.sql))}`)
      .get(...where.flatMap((w) => w.params))!.n;
  }

  private conditions(runId: string, query: Pick<EventQuery, 'types' | 'levels' | 'search'>): { sql: string; params: unknown[] }[] {
    const where: { sql: string; params: unknown[] }[] = [{ sql: 'run_id = ?', params: [runId] }];
    if (query.types) where.push({ sql: query.types.length ? `type IN (${placeholders(query.types.length)})` : '0', params: [...query.types] });
    if (query.levels) where.push({ sql: query.levels.length ? `level IN (${placeholders(query.levels.length)})` : '0', params: [...query.levels] });
    if (query.search) where.push({ sql: `message LIKE ? ESCAPE '\\'`, params: [`%${escapeLike(query.search)}%`] });
    return where;
  }
}
