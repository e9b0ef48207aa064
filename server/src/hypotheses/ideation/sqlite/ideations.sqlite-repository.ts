import type Database from 'better-sqlite3';
import { Page, PageRequest, toPage } from '../../../common/pagination/cursor.js';
import { fromJson, fromMs, toBit, toJson, toMs } from '../../../infra/persistence/sqlite/codec.js';
import { keyset, whereClause } from '../../../infra/persistence/sqlite/keyset.js';
import { idsByStatus, updateWhereStatusIn, type UpdateColumns } from '../../../infra/persistence/sqlite/status-records.js';
import { IdeationStatus } from '../../hypothesis.js';
import { emptyIdeationCounts, type IdeationCounts, type IdeationRequest, type IdeationRound, type IdeationUpdate } from '../ideation-request.js';
import type { IdeationFilter, IdeationsRepository } from '../ideations.repository.js';

interface IdeationRow {
  id: string;
  hypothesis_id: string;
  status: string;
  reflections: number;
  auto_launch: number;
  created_by: string;
  model: string | null;
  rounds: string;
  ideas: string;
  attempts: number;
  usage: string | null;
  error_code: string | null;
  error_message: string | null;
  run_id: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  completed_at: number | null;
}

type StoredRound = Omit<IdeationRound, 'at'> & { at: number };

const roundsToJson = (rounds: IdeationRound[]) => JSON.stringify(rounds.map((r) => ({ ...r, at: r.at.getTime() })));
const roundsFromJson = (text: string): IdeationRound[] => (JSON.parse(text) as StoredRound[]).map((r) => ({ ...r, at: new Date(r.at) }));

function fromRow(row: IdeationRow): IdeationRequest {
  return {
    id: row.id,
    hypothesisId: row.hypothesis_id,
    status: row.status as IdeationStatus,
    reflections: row.reflections,
    autoLaunch: row.auto_launch === 1,
    createdBy: row.created_by,
    model: row.model,
    rounds: roundsFromJson(row.rounds),
    ideas: JSON.parse(row.ideas),
    attempts: row.attempts,
    usage: fromJson(row.usage),
    errorCode: row.error_code,
    errorMessage: row.error_message,
    runId: row.run_id,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    startedAt: fromMs(row.started_at),
    completedAt: fromMs(row.completed_at),
  };
}

function toRow(r: IdeationRequest): IdeationRow {
  return {
    id: r.id,
    hypothesis_id: r.hypothesisId,
    status: r.status,
    reflections: r.reflections,
    auto_launch: toBit(r.autoLaunch),
    created_by: r.createdBy,
    model: r.model,
    rounds: roundsToJson(r.rounds),
    ideas: JSON.stringify(r.ideas),
    attempts: r.attempts,
    usage: toJson(r.usage),
    error_code: r.errorCode,
    error_message: r.errorMessage,
    run_id: r.runId,
    created_at: r.createdAt.getTime(),
    updated_at: r.updatedAt.getTime(),
    started_at: toMs(r.startedAt),
    completed_at: toMs(r.completedAt),
  };
}

const UPDATE_COLUMNS: UpdateColumns<IdeationUpdate> = {
  status: ['status', (v) => v],
  updatedAt: ['updated_at', (v) => v.getTime()],
  model: ['model', (v) => v ?? null],
  rounds: ['rounds', (v) => roundsToJson(v ?? [])],
  ideas: ['ideas', (v) => JSON.stringify(v ?? [])],
  attempts: ['attempts', (v) => v],
  usage: ['usage', toJson],
  errorCode: ['error_code', (v) => v ?? null],
  errorMessage: ['error_message', (v) => v ?? null],
  runId: ['run_id', (v) => v ?? null],
  startedAt: ['started_at', toMs],
  completedAt: ['completed_at', toMs],
};

export class SqliteIdeationsRepository implements IdeationsRepository {
  private readonly insertStatement;

  constructor(private readonly db: Database.Database) {
    this.insertStatement = db.prepare<IdeationRow>(
      `INSERT INTO ideations (id, hypothesis_id, status, reflections, auto_launch, created_by, model, rounds, ideas, attempts, usage,
         error_code, error_message, run_id, created_at, updated_at, started_at, completed_at)
       VALUES (@id, @hypothesis_id, @status, @reflections, @auto_launch, @created_by, @model, @rounds, @ideas, @attempts, @usage,
         @error_code, @error_message, @run_id, @created_at, @updated_at, @started_at, @completed_at)`,
    );
  }

  async insert(request: IdeationRequest): Promise<IdeationRequest> {
    this.insertStatement.run(toRow(request));
    return request;
  }

  async findById(id: string): Promise<IdeationRequest | null> {
    const row = this.db.prepare<[string], IdeationRow>('SELECT * FROM ideations WHERE id = ?').get(id);
    return row ? fromRow(row) : null;
  }

  async list(filter: IdeationFilter, page: PageRequest): Promise<Page<IdeationRequest>> {
    const where = conditions(filter);
    const paging = keyset(page);
    const rows = this.db
      .prepare<unknown[], IdeationRow>(`SELECT * FROM ideations ${whereClause([...where.conditions, paging.where])} ${paging.orderLimit}`)
      .all(...where.params, ...paging.params);
    return toPage(rows.map(fromRow), page.limit);
  }

  async count(filter: IdeationFilter): Promise<number> {
    const where = conditions(filter);
    return this.db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM ideations ${whereClause(where.conditions)}`).get(...where.params)!.n;
  }

  async countByStatus(filter: Omit<IdeationFilter, 'status'>): Promise<IdeationCounts> {
    const where = conditions(filter);
    const rows = this.db
      .prepare<unknown[], { status: IdeationStatus; n: number }>(
        `SELECT status, count(*) AS n FROM ideations ${whereClause(where.conditions)} GROUP BY status`,
      )
      .all(...where.params);
    const counts = emptyIdeationCounts();
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  async update(id: string, from: readonly IdeationStatus[], update: IdeationUpdate): Promise<IdeationRequest | null> {
    const row = updateWhereStatusIn<IdeationUpdate, IdeationRow>(this.db, 'ideations', UPDATE_COLUMNS, id, from, update);
    return row ? fromRow(row) : null;
  }

  async listIdsByStatus(statuses: readonly IdeationStatus[]): Promise<string[]> {
    return idsByStatus(this.db, 'ideations', statuses);
  }
}

function conditions(filter: IdeationFilter): { conditions: string[]; params: unknown[] } {
  const result: { conditions: string[]; params: unknown[] } = { conditions: [], params: [] };
  if (filter.status !== undefined) {
    result.conditions.push('status = ?');
    result.params.push(filter.status);
  }
  if (filter.hypothesisId !== undefined) {
    result.conditions.push('hypothesis_id = ?');
    result.params.push(filter.hypothesisId);
  }
  return result;
}
