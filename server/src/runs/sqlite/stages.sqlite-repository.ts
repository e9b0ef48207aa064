import type Database from 'better-sqlite3';
import { fromJson, fromMs, toJson } from '../../infra/persistence/sqlite/codec.js';
import { Stage, StageName, StageStatus } from '../run.js';
import type { StageDuration } from '../run-statistics.js';
import { StagesRepository, StageWrite } from '../stages.repository.js';

interface StageRow {
  run_id: string;
  name: string;
  status: string;
  progress: number;
  description: string | null;
  summary: string | null;
  started_at: number | null;
  completed_at: number | null;
  duration_s: number | null;
  best_node_id: string | null;
  best_metric: number | null;
  best_at: number | null;
  updated_at: number;
}

function stageFromRow(row: StageRow): Stage {
  return {
    runId: row.run_id,
    name: row.name as StageName,
    status: row.status as StageStatus,
    progress: row.progress,
    description: row.description,
    summary: fromJson(row.summary),
    startedAt: fromMs(row.started_at),
    completedAt: fromMs(row.completed_at),
    durationS: row.duration_s,
    bestNodeId: row.best_node_id,
    bestMetric: row.best_metric,
    updatedAt: fromMs(row.updated_at),
  };
}

const { RUNNING, COMPLETED, FAILED } = StageStatus;
const FINISHED = `status IN ('${COMPLETED}', '${FAILED}')`;
const INSERT = 'INSERT INTO stages (run_id, name, status, progress, started_at, updated_at';
// Every write is an upsert whose CASE/max/min/coalesce keep a stage from moving backwards.
const UPSERTS: Record<StageWrite['kind'], string> = {
  started: `${INSERT}, description) VALUES (@runId, @name, '${RUNNING}', 0, @at, @at, @description)
    ON CONFLICT (run_id, name) DO UPDATE SET
      status = CASE WHEN ${FINISHED} THEN status ELSE '${RUNNING}' END,
      description = coalesce(excluded.description, description),
      started_at = min(coalesce(started_at, excluded.started_at), excluded.started_at),
      updated_at = max(updated_at, excluded.updated_at)`,
  progress: `${INSERT}) VALUES (@runId, @name, '${RUNNING}', @progress, @at, @at)
    ON CONFLICT (run_id, name) DO UPDATE SET
      status = CASE WHEN ${FINISHED} THEN status ELSE '${RUNNING}' END,
      progress = max(progress, excluded.progress),
      started_at = coalesce(started_at, excluded.started_at),
      updated_at = max(updated_at, excluded.updated_at)`,
  completed: `${INSERT}, summary, completed_at, duration_s) VALUES (@runId, @name, '${COMPLETED}', 1, NULL, @at, @summary, @at, @durationS)
    ON CONFLICT (run_id, name) DO UPDATE SET
      status = '${COMPLETED}',
      progress = 1,
      summary = coalesce(excluded.summary, summary),
      completed_at = coalesce(completed_at, excluded.completed_at),
      duration_s = coalesce(excluded.duration_s, duration_s),
      updated_at = max(updated_at, excluded.updated_at)`,
  failed: `${INSERT}, completed_at) VALUES (@runId, @name, '${FAILED}', 0, NULL, @at, @at)
    ON CONFLICT (run_id, name) DO UPDATE SET
      status = CASE WHEN status = '${COMPLETED}' THEN status ELSE '${FAILED}' END,
      completed_at = coalesce(completed_at, excluded.completed_at),
      updated_at = max(updated_at, excluded.updated_at)`,
  best: `${INSERT}, best_node_id, best_metric, best_at) VALUES (@runId, @name, '${RUNNING}', 0, @at, @at, @nodeId, @metric, @at)
    ON CONFLICT (run_id, name) DO UPDATE SET
      best_node_id = CASE WHEN best_at IS NULL OR best_at <= excluded.best_at THEN excluded.best_node_id ELSE best_node_id END,
      best_metric = CASE WHEN best_at IS NULL OR best_at <= excluded.best_at THEN excluded.best_metric ELSE best_metric END,
      best_at = max(coalesce(best_at, 0), excluded.best_at),
      started_at = coalesce(started_at, excluded.started_at),
      updated_at = max(updated_at, excluded.updated_at)`,
};

export class SqliteStagesRepository implements StagesRepository {
  private readonly statements;
  private readonly byRun;
  private readonly applyAll;
  private readonly durations;

  constructor(db: Database.Database) {
    this.statements = Object.fromEntries(Object.entries(UPSERTS).map(([kind, sql]) => [kind, db.prepare(sql)])) as Record<
      StageWrite['kind'],
      Database.Statement
    >;
    this.byRun = db.prepare<[string], StageRow>('SELECT * FROM stages WHERE run_id = ? ORDER BY name');
    // The reported duration, else the time between start and completion.
    this.durations = db.prepare<[number], { name: string; average: number; n: number }>(
      `SELECT name, avg(coalesce(duration_s, (completed_at - started_at) / 1000.0)) AS average, count(*) AS n
       FROM stages WHERE status = '${COMPLETED}' AND completed_at >= ? AND (duration_s IS NOT NULL OR started_at IS NOT NULL)
       GROUP BY name ORDER BY name`,
    );
    this.applyAll = db.transaction((runId: string, writes: readonly StageWrite[]) => {
      for (const write of writes) this.statements[write.kind].run(params(runId, write));
    });
  }

  async listByRun(runId: string): Promise<Stage[]> {
    return this.byRun.all(runId).map(stageFromRow);
  }

  async averageDurations(since: Date): Promise<StageDuration[]> {
    return this.durations.all(since.getTime()).map((r) => ({ stage: r.name as StageName, averageS: r.average, samples: r.n }));
  }

  async applyWrites(runId: string, writes: readonly StageWrite[]): Promise<void> {
    if (writes.length > 0) this.applyAll(runId, writes);
  }
}

function params(runId: string, write: StageWrite): Record<string, unknown> {
  const common = { runId, name: write.name, at: write.at.getTime() };
  switch (write.kind) {
    case 'started':
      return { ...common, description: write.description ?? null };
    case 'progress':
      return { ...common, progress: write.progress };
    case 'completed':
      return { ...common, durationS: write.durationS ?? null, summary: toJson(write.summary) };
    case 'failed':
      return common;
    case 'best':
      return { ...common, nodeId: write.nodeId, metric: write.metric };
  }
}
