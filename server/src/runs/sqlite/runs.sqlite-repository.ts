import type Database from 'better-sqlite3';
import { Page, PageRequest, toPage } from '../../common/pagination/cursor.js';
import { fromJson, fromMs, placeholders, toBit, toJson, toMs } from '../../infra/persistence/sqlite/codec.js';
import { keyset, whereClause } from '../../infra/persistence/sqlite/keyset.js';
import { completeCurrentStage, completeProvisioning, type CurrentStagePatch, newRun, Run, type RunProvisioning, RunStatus, type RunWriteup } from '../run.js';
import { sourcesOf } from '../run-state-machine.js';
import type { RunStatistics } from '../run-statistics.js';
import { RunFilter, RunProjectionPatch, RunsRepository, RunStatusPatch, StatusChange } from '../runs.repository.js';

const reviveProvisioning = (stored: Partial<RunProvisioning> | null) =>
  stored && {
    ...reviveDates(stored, ['requestedAt', 'createdAt', 'readyAt', 'terminatedAt']),
    attempts: (stored.attempts ?? []).map((a) => reviveDates(a, ['at'])),
  };

interface RunRow {
  id: string;
  hypothesis_id: string;
  status: string;
  created_by: string;
  idempotency_key: string | null;
  pod: string | null;
  current_stage: string | null;
  telemetry: string | null;
  paper: string | null;
  provisioning: string | null;
  writeup: string | null;
  status_history: string;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  last_heartbeat: number | null;
  last_event_seq: number;
  error_type: string | null;
  error_message: string | null;
  error_traceback: string | null;
  hidden: number;
}

// Dates inside JSON columns are stored as ISO strings; revive them on read.
const reviveDates = <T>(value: T, keys: string[]): T => {
  if (!value || typeof value !== 'object') return value;
  const copy = { ...(value as Record<string, unknown>) };
  for (const key of keys) if (typeof copy[key] === 'string') copy[key] = new Date(copy[key]);
  return copy as T;
};

export function runFromRow(row: RunRow): Run {
  return {
    id: row.id,
    hypothesisId: row.hypothesis_id,
    status: row.status as RunStatus,
    createdBy: row.created_by,
    idempotencyKey: row.idempotency_key,
    pod: reviveDates(fromJson<Run['pod']>(row.pod), ['at']),
    currentStage: completeCurrentStage(reviveDates(fromJson<CurrentStagePatch>(row.current_stage), ['updatedAt'])),
    telemetry: reviveDates(fromJson<Run['telemetry']>(row.telemetry), ['at']),
    paper: reviveDates(fromJson<Run['paper']>(row.paper), ['at']),
    provisioning: completeProvisioning(reviveProvisioning(fromJson<Partial<RunProvisioning>>(row.provisioning))),
    writeup: reviveDates(fromJson<RunWriteup>(row.writeup), ['requestedAt', 'finishedAt']),
    statusHistory: (fromJson<Run['statusHistory']>(row.status_history) ?? []).map((t) => reviveDates(t, ['at'])),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    startedAt: fromMs(row.started_at),
    completedAt: fromMs(row.completed_at),
    failedAt: fromMs(row.failed_at),
    lastHeartbeat: fromMs(row.last_heartbeat),
    lastEventSeq: row.last_event_seq,
    errorType: row.error_type,
    errorMessage: row.error_message,
    errorTraceback: row.error_traceback,
    hidden: row.hidden === 1,
  };
}

function runToRow(run: Run): RunRow {
  return {
    id: run.id,
    hypothesis_id: run.hypothesisId,
    status: run.status,
    created_by: run.createdBy,
    idempotency_key: run.idempotencyKey,
    pod: toJson(run.pod),
    current_stage: toJson(run.currentStage),
    telemetry: toJson(run.telemetry),
    paper: toJson(run.paper),
    provisioning: toJson(run.provisioning),
    writeup: toJson(run.writeup),
    status_history: JSON.stringify(run.statusHistory),
    created_at: run.createdAt.getTime(),
    updated_at: run.updatedAt.getTime(),
    started_at: toMs(run.startedAt),
    completed_at: toMs(run.completedAt),
    failed_at: toMs(run.failedAt),
    last_heartbeat: toMs(run.lastHeartbeat),
    last_event_seq: run.lastEventSeq,
    error_type: run.errorType,
    error_message: run.errorMessage,
    error_traceback: run.errorTraceback,
    hidden: toBit(run.hidden),
  };
}

const PATCH_COLUMNS: { [K in keyof Required<RunStatusPatch>]: [column: string, encode: (v: RunStatusPatch[K]) => unknown] } = {
  startedAt: ['started_at', (v) => toMs(v)],
  completedAt: ['completed_at', (v) => toMs(v)],
  failedAt: ['failed_at', (v) => toMs(v)],
  errorType: ['error_type', (v) => v ?? null],
  errorMessage: ['error_message', (v) => v ?? null],
  errorTraceback: ['error_traceback', (v) => v ?? null],
};

export class SqliteRunsRepository implements RunsRepository {
  private readonly insertStatement;
  private readonly byId;
  private readonly byIdempotencyKey;
  private readonly projection;

  constructor(private readonly db: Database.Database) {
    const columns = Object.keys(runToRow(newRun({ id: '', hypothesisId: '', createdBy: '', createdAt: new Date(0) })));
    this.insertStatement = db.prepare<RunRow>(
      `INSERT INTO runs (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})
       ON CONFLICT (hypothesis_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING`,
    );
    this.byId = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?');
    // The newest value by event time wins; ISO timestamps inside the JSON compare as text.
    const newer = (column: string, param: string, stamp: string) =>
      `CASE WHEN @${param} IS NOT NULL AND (${column} IS NULL OR json_extract(${column}, '$.${stamp}') <= json_extract(@${param}, '$.${stamp}'))
        THEN @${param} ELSE ${column} END`;
    this.projection = db.prepare<Record<string, unknown>, RunRow>(
      `UPDATE runs SET
         last_event_seq = max(last_event_seq, @lastEventSeq),
         last_heartbeat = CASE WHEN @lastHeartbeat IS NULL THEN last_heartbeat ELSE max(coalesce(last_heartbeat, 0), @lastHeartbeat) END,
         current_stage = CASE
           WHEN @currentStage IS NULL THEN current_stage
           WHEN current_stage IS NULL THEN @currentStage
           WHEN json_extract(current_stage, '$.name') = json_extract(@currentStage, '$.name') THEN
             CASE WHEN json_extract(current_stage, '$.updatedAt') <= json_extract(@currentStage, '$.updatedAt')
               THEN json_patch(current_stage, @currentStage) ELSE json_patch(@currentStage, current_stage) END
           WHEN json_extract(current_stage, '$.updatedAt') <= json_extract(@currentStage, '$.updatedAt') THEN @currentStage
           ELSE current_stage END,
         telemetry = ${newer('telemetry', 'telemetry', 'at')},
         pod = ${newer('pod', 'pod', 'at')},
         paper = ${newer('paper', 'paper', 'at')},
         completed_at = coalesce(completed_at, @completedAt),
         updated_at = max(updated_at, @at)
       WHERE id = @id
       RETURNING *`,
    );
    this.byIdempotencyKey = db.prepare<[string, string], RunRow>(
      'SELECT * FROM runs WHERE hypothesis_id = ? AND idempotency_key = ?',
    );
  }

  async insert(run: Run): Promise<{ run: Run; created: boolean }> {
    const { changes } = this.insertStatement.run(runToRow(run));
    if (changes === 1) return { run, created: true };
    return { run: runFromRow(this.byIdempotencyKey.get(run.hypothesisId, run.idempotencyKey!)!), created: false };
  }

  async findById(id: string): Promise<Run | null> {
    const row = this.byId.get(id);
    return row ? runFromRow(row) : null;
  }

  async findByIds(ids: readonly string[]): Promise<Run[]> {
    if (ids.length === 0) return [];
    const rows = this.db.prepare<unknown[], RunRow>(`SELECT * FROM runs WHERE id IN (${placeholders(ids.length)})`).all(...ids);
    return rows.map(runFromRow);
  }

  async list(filter: RunFilter, page: PageRequest): Promise<Page<Run>> {
    const where = this.filterConditions(filter);
    const paging = keyset(page);
    const rows = this.db
      .prepare<unknown[], RunRow>(`SELECT * FROM runs ${whereClause([...where.conditions, paging.where])} ${paging.orderLimit}`)
      .all(...where.params, ...paging.params);
    return toPage(rows.map(runFromRow), page.limit);
  }

  async count(filter: RunFilter): Promise<number> {
    const where = this.filterConditions(filter);
    const row = this.db
      .prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM runs ${whereClause(where.conditions)}`)
      .get(...where.params);
    return row!.n;
  }

  async listIds(filter: RunFilter): Promise<string[]> {
    const where = this.filterConditions(filter);
    return this.db
      .prepare<unknown[], { id: string }>(`SELECT id FROM runs ${whereClause(where.conditions)} ORDER BY created_at, id`)
      .all(...where.params)
      .map((r) => r.id);
  }

  async transition(id: string, change: StatusChange): Promise<Run | null> {
    const allowed = sourcesOf(change.to).filter((s) => !change.from || change.from.includes(s));
    if (allowed.length === 0) return null;
    const patch = Object.entries(change.patch ?? {}).map(([key, value]) => {
      const [column, encode] = PATCH_COLUMNS[key as keyof RunStatusPatch] as [string, (v: unknown) => unknown];
      return { column, value: encode(value) };
    });
    // One statement: the WHERE is the compare, and `status` on the right-hand side is the old value.
    const row = this.db
      .prepare<unknown[], RunRow>(
        `UPDATE runs SET
           status = ?,
           updated_at = ?,
           status_history = json_insert(status_history, '$[#]',
             json_object('from', status, 'to', ?, 'at', ?, 'by', ?, 'reason', ?))
           ${patch.map((p) => `, ${p.column} = ?`).join('')}
         WHERE id = ? AND status IN (${placeholders(allowed.length)})
         RETURNING *`,
      )
      .get(
        change.to,
        change.at.getTime(),
        change.to,
        change.at.toISOString(),
        change.by,
        change.reason ?? null,
        ...patch.map((p) => p.value),
        id,
        ...allowed,
      );
    return row ? runFromRow(row) : null;
  }

  async setHidden(id: string, hidden: boolean, at: Date): Promise<Run | null> {
    const row = this.db
      .prepare<[number, number, string], RunRow>('UPDATE runs SET hidden = ?, updated_at = ? WHERE id = ? RETURNING *')
      .get(toBit(hidden), at.getTime(), id);
    return row ? runFromRow(row) : null;
  }

  async applyProjection(id: string, patch: RunProjectionPatch, at: Date): Promise<Run | null> {
    const row = this.projection.get({
      id,
      at: at.getTime(),
      lastEventSeq: patch.lastEventSeq,
      lastHeartbeat: toMs(patch.lastHeartbeat),
      currentStage: toJson(patch.currentStage),
      telemetry: toJson(patch.telemetry),
      pod: toJson(patch.pod),
      paper: toJson(patch.paper),
      completedAt: toMs(patch.completedAt),
    });
    return row ? runFromRow(row) : null;
  }

  async mergeProvisioning(id: string, patch: Partial<RunProvisioning>, at: Date): Promise<Run | null> {
    const row = this.db
      .prepare<[string, number, string], RunRow>(
        `UPDATE runs SET provisioning = json_patch(coalesce(provisioning, '{}'), ?), updated_at = max(updated_at, ?) WHERE id = ? RETURNING *`,
      )
      .get(JSON.stringify(patch), at.getTime(), id);
    return row ? runFromRow(row) : null;
  }

  async claimWriteup(id: string, by: string, at: Date): Promise<Run | null> {
    const row = this.db
      .prepare<Record<string, unknown>, RunRow>(
        `UPDATE runs SET
           writeup = json_object('active', json('true'), 'count', coalesce(json_extract(writeup, '$.count'), 0) + 1,
             'requestedAt', @at, 'requestedBy', @by, 'finishedAt', NULL, 'outcome', NULL),
           updated_at = max(updated_at, @ms)
         WHERE id = @id AND status IN ('${RunStatus.FAILED}', '${RunStatus.COMPLETED}')
           AND (writeup IS NULL OR json_extract(writeup, '$.active') = 0)
         RETURNING *`,
      )
      .get({ id, by, at: at.toISOString(), ms: at.getTime() });
    return row ? runFromRow(row) : null;
  }

  async finishWriteup(id: string, outcome: string, at: Date): Promise<Run | null> {
    const row = this.db
      .prepare<Record<string, unknown>, RunRow>(
        `UPDATE runs SET
           writeup = json_set(writeup, '$.active', json('false'), '$.finishedAt', @at, '$.outcome', @outcome),
           updated_at = max(updated_at, @ms)
         WHERE id = @id AND writeup IS NOT NULL
         RETURNING *`,
      )
      .get({ id, outcome, at: at.toISOString(), ms: at.getTime() });
    return row ? runFromRow(row) : null;
  }

  async statistics(now: Date, limit: number): Promise<RunStatistics> {
    const day = now.getTime() - 24 * 3600 * 1000;
    const week = now.getTime() - 7 * 24 * 3600 * 1000;
    const byStatus = this.db.prepare<[], { status: RunStatus; n: number }>('SELECT status, count(*) AS n FROM runs GROUP BY status').all();
    const finished = this.db
      .prepare<[number, number, number], { day: number | null; week: number | null }>(
        `SELECT sum(coalesce(completed_at, failed_at) >= ?) AS day, sum(coalesce(completed_at, failed_at) >= ?) AS week
         FROM runs WHERE coalesce(completed_at, failed_at) >= ?`,
      )
      .get(day, week, week)!;
    const failures = this.db
      .prepare<[number], { error_type: string; n: number; last: number }>(
        `SELECT error_type, count(*) AS n, max(coalesce(failed_at, updated_at)) AS last FROM runs
         WHERE status = '${RunStatus.FAILED}' AND error_type IS NOT NULL GROUP BY error_type ORDER BY n DESC, last DESC LIMIT ?`,
      )
      .all(limit);
    const hypotheses = this.db
      .prepare<[number], { hypothesis_id: string; n: number; last: number }>(
        `SELECT hypothesis_id, count(*) AS n, max(created_at) AS last FROM runs WHERE hidden = 0
         GROUP BY hypothesis_id ORDER BY n DESC, last DESC LIMIT ?`,
      )
      .all(limit);
    return {
      byStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
      finishedLast24h: finished.day ?? 0,
      finishedLast7d: finished.week ?? 0,
      failureReasons: failures.map((r) => ({ errorType: r.error_type, count: r.n, lastAt: new Date(r.last) })),
      mostActiveHypotheses: hypotheses.map((r) => ({ hypothesisId: r.hypothesis_id, runCount: r.n, lastRunAt: new Date(r.last) })),
    };
  }

  private filterConditions(filter: RunFilter): { conditions: string[]; params: unknown[] } {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.statuses) {
      conditions.push(filter.statuses.length > 0 ? `status IN (${placeholders(filter.statuses.length)})` : '0');
      params.push(...filter.statuses);
    }
    if (filter.hypothesisId !== undefined) {
      conditions.push('hypothesis_id = ?');
      params.push(filter.hypothesisId);
    }
    if (filter.hidden !== undefined) {
      conditions.push('hidden = ?');
      params.push(toBit(filter.hidden));
    }
    return { conditions, params };
  }
}
