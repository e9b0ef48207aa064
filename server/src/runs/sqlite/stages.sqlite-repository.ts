import type Database from 'better-sqlite3';
import { fromJson, fromMs, toJson } from '../../infra/persistence/sqlite/codec.js';
import { Stage, StageName, StageStatus } from '../run.js';
import { StagesRepository } from '../stages.repository.js';

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
    updatedAt: fromMs(row.updated_at),
  };
}

const FINISHED = `status IN ('${StageStatus.COMPLETED}', '${StageStatus.FAILED}')`;

export class SqliteStagesRepository implements StagesRepository {
  private readonly started;
  private readonly progressed;
  private readonly completed;
  private readonly failed;
  private readonly byRun;

  constructor(db: Database.Database) {
    // Each write is one upsert; CASE/max/min keep a stage from moving backwards when events arrive late.
    this.started = db.prepare<unknown[], StageRow>(
      `INSERT INTO stages (run_id, name, status, progress, description, started_at, updated_at)
       VALUES (@runId, @name, '${StageStatus.RUNNING}', 0, @description, @at, @at)
       ON CONFLICT (run_id, name) DO UPDATE SET
         status = CASE WHEN ${FINISHED} THEN status ELSE '${StageStatus.RUNNING}' END,
         description = coalesce(excluded.description, description),
         started_at = min(coalesce(started_at, excluded.started_at), excluded.started_at),
         updated_at = max(updated_at, excluded.updated_at)
       RETURNING *`,
    );
    this.progressed = db.prepare<unknown[], StageRow>(
      `INSERT INTO stages (run_id, name, status, progress, started_at, updated_at)
       VALUES (@runId, @name, '${StageStatus.RUNNING}', @progress, @at, @at)
       ON CONFLICT (run_id, name) DO UPDATE SET
         status = CASE WHEN ${FINISHED} THEN status ELSE '${StageStatus.RUNNING}' END,
         progress = max(progress, excluded.progress),
         started_at = coalesce(started_at, excluded.started_at),
         updated_at = max(updated_at, excluded.updated_at)
       RETURNING *`,
    );
    this.completed = db.prepare<unknown[], StageRow>(
      `INSERT INTO stages (run_id, name, status, progress, summary, completed_at, duration_s, updated_at)
       VALUES (@runId, @name, '${StageStatus.COMPLETED}', 1, @summary, @at, @durationS, @at)
       ON CONFLICT (run_id, name) DO UPDATE SET
         status = '${StageStatus.COMPLETED}',
         progress = 1,
         summary = coalesce(excluded.summary, summary),
         completed_at = coalesce(completed_at, excluded.completed_at),
         duration_s = coalesce(excluded.duration_s, duration_s),
         updated_at = max(updated_at, excluded.updated_at)
       RETURNING *`,
    );
    this.failed = db.prepare<unknown[], StageRow>(
      `INSERT INTO stages (run_id, name, status, progress, completed_at, updated_at)
       VALUES (@runId, @name, '${StageStatus.FAILED}', 0, @at, @at)
       ON CONFLICT (run_id, name) DO UPDATE SET
         status = CASE WHEN status = '${StageStatus.COMPLETED}' THEN status ELSE '${StageStatus.FAILED}' END,
         completed_at = coalesce(completed_at, excluded.completed_at),
         updated_at = max(updated_at, excluded.updated_at)
       RETURNING *`,
    );
    this.byRun = db.prepare<[string], StageRow>('SELECT * FROM stages WHERE run_id = ? ORDER BY name');
  }

  async listByRun(runId: string): Promise<Stage[]> {
    return this.byRun.all(runId).map(stageFromRow);
  }

  async markStarted(runId: string, name: StageName, at: Date, description: string | null = null): Promise<Stage> {
    return stageFromRow(this.started.get({ runId, name, at: at.getTime(), description })!);
  }

  async recordProgress(runId: string, name: StageName, progress: number, at: Date): Promise<Stage> {
    return stageFromRow(this.progressed.get({ runId, name, at: at.getTime(), progress })!);
  }

  async markCompleted(runId: string, name: StageName, at: Date, durationS: number | null = null, summary?: unknown): Promise<Stage> {
    return stageFromRow(this.completed.get({ runId, name, at: at.getTime(), durationS, summary: toJson(summary) })!);
  }

  async markFailed(runId: string, name: StageName, at: Date): Promise<Stage> {
    return stageFromRow(this.failed.get({ runId, name, at: at.getTime() })!);
  }
}
