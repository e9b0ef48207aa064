import type Database from 'better-sqlite3';
import { fromJson, fromMs, placeholders, toBit, toJson, toMs } from '../../infra/persistence/sqlite/codec.js';
import { idsByStatus, updateWhereStatusIn, type UpdateColumns } from '../../infra/persistence/sqlite/status-records.js';
import type { PaperAnalysesRepository } from '../paper-analyses.repository.js';
import type { PaperAnalysis, PaperAnalysisStatus, PaperAnalysisUpdate } from '../paper-analysis.js';

interface PaperAnalysisRow {
  id: string;
  run_id: string;
  status: string;
  requested_by: string;
  current: number;
  attempts: number;
  paper: string | null;
  quantitative: string | null;
  qualitative: string | null;
  models: string | null;
  usage: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  completed_at: number | null;
  superseded_at: number | null;
}

function fromRow(row: PaperAnalysisRow): PaperAnalysis {
  return {
    id: row.id,
    runId: row.run_id,
    status: row.status as PaperAnalysisStatus,
    requestedBy: row.requested_by,
    current: row.current === 1,
    attempts: row.attempts,
    paper: fromJson(row.paper),
    quantitative: fromJson(row.quantitative),
    qualitative: fromJson(row.qualitative),
    models: fromJson(row.models),
    usage: fromJson(row.usage),
    errorCode: row.error_code,
    errorMessage: row.error_message,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    startedAt: fromMs(row.started_at),
    completedAt: fromMs(row.completed_at),
    supersededAt: fromMs(row.superseded_at),
  };
}

function toRow(a: PaperAnalysis): PaperAnalysisRow {
  return {
    id: a.id,
    run_id: a.runId,
    status: a.status,
    requested_by: a.requestedBy,
    current: toBit(a.current),
    attempts: a.attempts,
    paper: toJson(a.paper),
    quantitative: toJson(a.quantitative),
    qualitative: toJson(a.qualitative),
    models: toJson(a.models),
    usage: toJson(a.usage),
    error_code: a.errorCode,
    error_message: a.errorMessage,
    created_at: a.createdAt.getTime(),
    updated_at: a.updatedAt.getTime(),
    started_at: toMs(a.startedAt),
    completed_at: toMs(a.completedAt),
    superseded_at: toMs(a.supersededAt),
  };
}

// Column and encoding of each field an update may write.
const UPDATE_COLUMNS: UpdateColumns<PaperAnalysisUpdate> = {
  status: ['status', (v) => v],
  updatedAt: ['updated_at', (v) => v.getTime()],
  attempts: ['attempts', (v) => v],
  paper: ['paper', toJson],
  quantitative: ['quantitative', toJson],
  qualitative: ['qualitative', toJson],
  models: ['models', toJson],
  usage: ['usage', toJson],
  errorCode: ['error_code', (v) => v ?? null],
  errorMessage: ['error_message', (v) => v ?? null],
  startedAt: ['started_at', toMs],
  completedAt: ['completed_at', toMs],
};

export class SqlitePaperAnalysesRepository implements PaperAnalysesRepository {
  private readonly currentOf;
  private readonly replace;

  constructor(private readonly db: Database.Database) {
    this.currentOf = db.prepare<[string], PaperAnalysisRow>('SELECT * FROM paper_analyses WHERE run_id = ? AND current = 1');
    const supersede = db.prepare<[number, string]>('UPDATE paper_analyses SET current = 0, superseded_at = ? WHERE id = ?');
    const insert = db.prepare<PaperAnalysisRow>(
      `INSERT INTO paper_analyses (id, run_id, status, requested_by, current, attempts, paper, quantitative, qualitative, models, usage,
         error_code, error_message, created_at, updated_at, started_at, completed_at, superseded_at)
       VALUES (@id, @run_id, @status, @requested_by, @current, @attempts, @paper, @quantitative, @qualitative, @models, @usage,
         @error_code, @error_message, @created_at, @updated_at, @started_at, @completed_at, @superseded_at)`,
    );
    this.replace = db.transaction((analysis: PaperAnalysis, unless: readonly PaperAnalysisStatus[]): PaperAnalysis | null => {
      const previous = this.currentOf.get(analysis.runId);
      if (previous && unless.includes(previous.status as PaperAnalysisStatus)) return null;
      if (previous) supersede.run(analysis.createdAt.getTime(), previous.id);
      insert.run(toRow({ ...analysis, current: true }));
      return { ...analysis, current: true };
    });
  }

  async replaceCurrent(analysis: PaperAnalysis, unlessCurrentIn: readonly PaperAnalysisStatus[]): Promise<PaperAnalysis | null> {
    return this.replace.immediate(analysis, unlessCurrentIn);
  }

  async findById(id: string): Promise<PaperAnalysis | null> {
    const row = this.db.prepare<[string], PaperAnalysisRow>('SELECT * FROM paper_analyses WHERE id = ?').get(id);
    return row ? fromRow(row) : null;
  }

  async findCurrent(runId: string): Promise<PaperAnalysis | null> {
    const row = this.currentOf.get(runId);
    return row ? fromRow(row) : null;
  }

  async findCurrentOfRuns(runIds: readonly string[]): Promise<PaperAnalysis[]> {
    if (runIds.length === 0) return [];
    return this.db
      .prepare<unknown[], PaperAnalysisRow>(`SELECT * FROM paper_analyses WHERE current = 1 AND run_id IN (${placeholders(runIds.length)})`)
      .all(...runIds)
      .map(fromRow);
  }

  async listHistory(runId: string): Promise<PaperAnalysis[]> {
    return this.db
      .prepare<[string], PaperAnalysisRow>('SELECT * FROM paper_analyses WHERE run_id = ? AND current = 0 ORDER BY created_at DESC, id DESC')
      .all(runId)
      .map(fromRow);
  }

  async update(id: string, from: readonly PaperAnalysisStatus[], update: PaperAnalysisUpdate): Promise<PaperAnalysis | null> {
    const row = updateWhereStatusIn<PaperAnalysisUpdate, PaperAnalysisRow>(this.db, 'paper_analyses', UPDATE_COLUMNS, id, from, update);
    return row ? fromRow(row) : null;
  }

  async listIdsByStatus(statuses: readonly PaperAnalysisStatus[]): Promise<string[]> {
    return idsByStatus(this.db, 'paper_analyses', statuses);
  }
}
