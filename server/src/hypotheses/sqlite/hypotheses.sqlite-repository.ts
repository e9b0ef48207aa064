import type Database from 'better-sqlite3';
import { Page, PageRequest, toPage } from '../../common/pagination/cursor.js';
import { fromJson, placeholders, toBit, toJson } from '../../infra/persistence/sqlite/codec.js';
import { keyset, whereClause } from '../../infra/persistence/sqlite/keyset.js';
import { HypothesesRepository, HypothesisFilter } from '../hypotheses.repository.js';
import { Hypothesis, HypothesisIdeation, IdeaJson } from '../hypothesis.js';

interface HypothesisRow {
  id: string;
  title: string;
  idea: string;
  created_by: string;
  created_at: number;
  updated_at: number;
  idea_json: string | null;
  chatgpt_url: string | null;
  ideation: string | null;
  seed: number;
  hidden: number;
}

function fromRow(row: HypothesisRow): Hypothesis {
  return {
    id: row.id,
    title: row.title,
    idea: row.idea,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    ideaJson: fromJson(row.idea_json),
    chatGptUrl: row.chatgpt_url,
    ideation: fromJson(row.ideation),
    seed: row.seed === 1,
    hidden: row.hidden === 1,
  };
}

function toRow(h: Hypothesis): HypothesisRow {
  return {
    id: h.id,
    title: h.title,
    idea: h.idea,
    created_by: h.createdBy,
    created_at: h.createdAt.getTime(),
    updated_at: h.updatedAt.getTime(),
    idea_json: toJson(h.ideaJson),
    chatgpt_url: h.chatGptUrl,
    ideation: toJson(h.ideation),
    seed: toBit(h.seed),
    hidden: toBit(h.hidden),
  };
}

export class SqliteHypothesesRepository implements HypothesesRepository {
  private readonly insertStatement;
  private readonly byId;

  constructor(private readonly db: Database.Database) {
    this.insertStatement = db.prepare<HypothesisRow>(
      `INSERT INTO hypotheses (id, title, idea, created_by, created_at, updated_at, idea_json, chatgpt_url, ideation, seed, hidden)
       VALUES (@id, @title, @idea, @created_by, @created_at, @updated_at, @idea_json, @chatgpt_url, @ideation, @seed, @hidden)`,
    );
    this.byId = db.prepare<[string], HypothesisRow>('SELECT * FROM hypotheses WHERE id = ?');
  }

  async insert(hypothesis: Hypothesis): Promise<Hypothesis> {
    this.insertStatement.run(toRow(hypothesis));
    return hypothesis;
  }

  async findById(id: string): Promise<Hypothesis | null> {
    const row = this.byId.get(id);
    return row ? fromRow(row) : null;
  }

  async findByIds(ids: readonly string[]): Promise<Hypothesis[]> {
    if (ids.length === 0) return [];
    return this.db
      .prepare<unknown[], HypothesisRow>(`SELECT * FROM hypotheses WHERE id IN (${placeholders(ids.length)})`)
      .all(...ids)
      .map(fromRow);
  }

  async list(filter: HypothesisFilter, page: PageRequest): Promise<Page<Hypothesis>> {
    const where = this.filterCondition(filter);
    const paging = keyset(page);
    const rows = this.db
      .prepare<unknown[], HypothesisRow>(`SELECT * FROM hypotheses ${whereClause([where.condition, paging.where])} ${paging.orderLimit}`)
      .all(...where.params, ...paging.params);
    return toPage(rows.map(fromRow), page.limit);
  }

  async count(filter: HypothesisFilter): Promise<number> {
    const where = this.filterCondition(filter);
    return this.db
      .prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM hypotheses ${whereClause([where.condition])}`)
      .get(...where.params)!.n;
  }

  async setHidden(id: string, hidden: boolean, at: Date): Promise<Hypothesis | null> {
    const row = this.db
      .prepare<[number, number, string], HypothesisRow>('UPDATE hypotheses SET hidden = ?, updated_at = ? WHERE id = ? RETURNING *')
      .get(toBit(hidden), at.getTime(), id);
    return row ? fromRow(row) : null;
  }

  async setIdeation(id: string, ideation: HypothesisIdeation, at: Date, ideaJson?: IdeaJson): Promise<Hypothesis | null> {
    const row = this.db
      .prepare<[string, string | null, number, string], HypothesisRow>(
        'UPDATE hypotheses SET ideation = ?, idea_json = coalesce(?, idea_json), updated_at = ? WHERE id = ? RETURNING *',
      )
      .get(toJson(ideation)!, toJson(ideaJson), at.getTime(), id);
    return row ? fromRow(row) : null;
  }

  private filterCondition(filter: HypothesisFilter): { condition: string | null; params: unknown[] } {
    return filter.hidden === undefined ? { condition: null, params: [] } : { condition: 'hidden = ?', params: [toBit(filter.hidden)] };
  }
}
