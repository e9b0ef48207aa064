import type Database from 'better-sqlite3';
import { type Cursor, type Page, SortDirection, toPage } from '../../common/pagination/cursor.js';
import { fromJson, fromMs, placeholders, toMs } from '../../infra/persistence/sqlite/codec.js';
import { keyset, whereClause } from '../../infra/persistence/sqlite/keyset.js';
import { RunStatus } from '../../runs/run.js';
import {
  autoValidationId,
  AutoValidationWrite,
  humanValidationId,
  ReviewQueueEntry,
  Validation,
  ValidationKind,
  ValidationStatus,
  Verdict,
} from '../validation.js';
import { ValidationsRepository } from '../validations.repository.js';

interface ValidationRow {
  id: string;
  run_id: string;
  kind: string;
  status: string;
  verdict: string | null;
  scores: string | null;
  notes: string | null;
  model: string | null;
  rubric_version: string | null;
  reviewer: string | null;
  started_at: number | null;
  completed_at: number | null;
  updated_at: number;
}

function fromRow(row: ValidationRow): Validation {
  return {
    id: row.id,
    runId: row.run_id,
    kind: row.kind as ValidationKind,
    status: row.status as ValidationStatus,
    verdict: row.verdict as Verdict | null,
    scores: fromJson(row.scores) ?? [],
    notes: row.notes,
    model: row.model,
    rubricVersion: row.rubric_version,
    reviewer: row.reviewer,
    startedAt: fromMs(row.started_at),
    completedAt: fromMs(row.completed_at),
    updatedAt: new Date(row.updated_at),
  };
}

const { RUNNING, COMPLETED } = ValidationStatus;
const INSERT = `INSERT INTO validations (id, run_id, kind, status, verdict, scores, notes, model, rubric_version, started_at, completed_at, updated_at)`;
// A start newer than the last completion begins a new attempt; an older one only fills in blanks.
const NEW_ATTEMPT = 'excluded.started_at > coalesce(completed_at, 0)';
const NEWEST_COMPLETION = 'excluded.completed_at >= coalesce(completed_at, 0)';
// Reads the runs table: the queue is a property of a run and its validations together, paged here.
const WAITING_FOR_REVIEW = `hidden = 0 AND (
  status = '${RunStatus.AWAITING_HUMAN}'
  OR (status = '${RunStatus.COMPLETED}'
    AND EXISTS (SELECT 1 FROM validations v WHERE v.run_id = runs.id AND v.kind = '${ValidationKind.AUTO}')
    AND NOT EXISTS (SELECT 1 FROM validations v WHERE v.run_id = runs.id AND v.kind = '${ValidationKind.HUMAN}')))`;

export class SqliteValidationsRepository implements ValidationsRepository {
  private readonly started;
  private readonly completed;
  private readonly byRun;
  private readonly applyAll;
  private readonly human;
  private readonly byId;
  private readonly queueCount;

  constructor(private readonly db: Database.Database) {
    this.started = db.prepare(
      `${INSERT} VALUES (@id, @runId, '${ValidationKind.AUTO}', '${RUNNING}', NULL, NULL, NULL, @model, @rubricVersion, @at, NULL, @at)
       ON CONFLICT (id) DO UPDATE SET
         status = CASE WHEN ${NEW_ATTEMPT} THEN '${RUNNING}' ELSE status END,
         verdict = CASE WHEN ${NEW_ATTEMPT} THEN NULL ELSE verdict END,
         scores = CASE WHEN ${NEW_ATTEMPT} THEN NULL ELSE scores END,
         notes = CASE WHEN ${NEW_ATTEMPT} THEN NULL ELSE notes END,
         completed_at = CASE WHEN ${NEW_ATTEMPT} THEN NULL ELSE completed_at END,
         model = CASE WHEN ${NEW_ATTEMPT} OR model IS NULL THEN excluded.model ELSE model END,
         rubric_version = CASE WHEN ${NEW_ATTEMPT} OR rubric_version IS NULL THEN excluded.rubric_version ELSE rubric_version END,
         started_at = CASE WHEN ${NEW_ATTEMPT} OR started_at IS NULL THEN excluded.started_at ELSE started_at END,
         updated_at = max(updated_at, excluded.updated_at)`,
    );
    this.completed = db.prepare(
      `${INSERT} VALUES (@id, @runId, '${ValidationKind.AUTO}', '${COMPLETED}', @verdict, @scores, @notes, NULL, NULL, NULL, @at, @at)
       ON CONFLICT (id) DO UPDATE SET
         status = CASE WHEN ${NEWEST_COMPLETION} AND coalesce(started_at, 0) <= excluded.completed_at THEN '${COMPLETED}' ELSE status END,
         verdict = CASE WHEN ${NEWEST_COMPLETION} THEN excluded.verdict ELSE verdict END,
         scores = CASE WHEN ${NEWEST_COMPLETION} THEN excluded.scores ELSE scores END,
         notes = CASE WHEN ${NEWEST_COMPLETION} THEN excluded.notes ELSE notes END,
         completed_at = max(coalesce(completed_at, 0), excluded.completed_at),
         updated_at = max(updated_at, excluded.updated_at)`,
    );
    this.byRun = db.prepare<[string], ValidationRow>('SELECT * FROM validations WHERE run_id = ? ORDER BY kind, coalesce(started_at, completed_at)');
    // DO NOTHING on either unique constraint (the id, or one HUMAN per run): the first review stays.
    this.human = db.prepare(
      `INSERT INTO validations (id, run_id, kind, status, verdict, scores, notes, reviewer, started_at, completed_at, updated_at)
       VALUES (@id, @runId, '${ValidationKind.HUMAN}', @status, @verdict, @scores, @notes, @reviewer, @startedAt, @completedAt, @updatedAt)
       ON CONFLICT DO NOTHING`,
    );
    this.byId = db.prepare<[string], ValidationRow>('SELECT * FROM validations WHERE id = ?');
    this.queueCount = db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM runs WHERE ${WAITING_FOR_REVIEW}`);
    this.applyAll = db.transaction((runId: string, writes: readonly AutoValidationWrite[]) => {
      const id = autoValidationId(runId);
      for (const w of writes) {
        if (w.kind === 'started') this.started.run({ id, runId, at: w.at.getTime(), model: w.model, rubricVersion: w.rubricVersion });
        else this.completed.run({ id, runId, at: w.at.getTime(), verdict: w.verdict, scores: JSON.stringify(w.scores), notes: w.notes });
      }
    });
  }

  async listByRun(runId: string): Promise<Validation[]> {
    return this.byRun.all(runId).map(fromRow);
  }

  async applyAutoWrites(runId: string, writes: readonly AutoValidationWrite[]): Promise<void> {
    if (writes.length > 0) this.applyAll(runId, writes);
  }

  async insertHuman(validation: Validation): Promise<boolean> {
    const { changes } = this.human.run({
      id: validation.id,
      runId: validation.runId,
      status: validation.status,
      verdict: validation.verdict,
      scores: JSON.stringify(validation.scores),
      notes: validation.notes,
      startedAt: toMs(validation.startedAt),
      completedAt: toMs(validation.completedAt),
      updatedAt: validation.updatedAt.getTime(),
      reviewer: validation.reviewer,
    });
    return changes === 1;
  }

  async findHuman(runId: string): Promise<Validation | null> {
    const row = this.byId.get(humanValidationId(runId));
    return row ? fromRow(row) : null;
  }

  async deleteHuman(runId: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM validations WHERE id = ?').run(humanValidationId(runId)).changes === 1;
  }

  async listReviewQueue(page: { after?: Cursor; limit: number }): Promise<Page<ReviewQueueEntry>> {
    const paging = keyset({ after: page.after, limit: page.limit, direction: SortDirection.ASC });
    const runs = this.db
      .prepare<unknown[], { id: string; created_at: number }>(
        `SELECT id, created_at FROM runs ${whereClause([WAITING_FOR_REVIEW, paging.where])} ${paging.orderLimit}`,
      )
      .all(...paging.params);
    const ids = runs.map((r) => autoValidationId(r.id));
    const autos = ids.length === 0
      ? []
      : this.db.prepare<unknown[], ValidationRow>(`SELECT * FROM validations WHERE id IN (${placeholders(ids.length)})`).all(...ids);
    const autoOf = new Map(autos.map((row) => [row.run_id, fromRow(row)]));
    const entries = runs.map((r) => ({ runId: r.id, createdAt: new Date(r.created_at), autoValidation: autoOf.get(r.id) ?? null }));
    return toPage(entries, page.limit);
  }

  async countReviewQueue(): Promise<number> {
    return this.queueCount.get()!.n;
  }
}
