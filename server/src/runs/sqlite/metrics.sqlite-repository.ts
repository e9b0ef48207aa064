import type Database from 'better-sqlite3';
import { MetricsRepository } from '../metrics.repository.js';
import { RunMetric, StageName } from '../run.js';

interface MetricRow {
  name: string;
  value: number;
  stage: string | null;
  at: number;
}

export class SqliteMetricsRepository implements MetricsRepository {
  private readonly upsert;
  private readonly byRun;
  private readonly applyAll;

  constructor(db: Database.Database) {
    // Per key, the value of the newest event wins: a late event never overwrites a newer value.
    this.upsert = db.prepare(
      `INSERT INTO run_metrics (run_id, name, value, stage, at) VALUES (@runId, @name, @value, @stage, @at)
       ON CONFLICT (run_id, name) DO UPDATE SET value = excluded.value, stage = excluded.stage, at = excluded.at
       WHERE excluded.at >= run_metrics.at`,
    );
    this.byRun = db.prepare<[string], MetricRow>('SELECT name, value, stage, at FROM run_metrics WHERE run_id = ? ORDER BY name');
    this.applyAll = db.transaction((runId: string, writes: readonly RunMetric[]) => {
      for (const m of writes) this.upsert.run({ runId, name: m.name, value: m.value, stage: m.stage, at: m.at.getTime() });
    });
  }

  async listByRun(runId: string): Promise<RunMetric[]> {
    return this.byRun.all(runId).map((r) => ({ name: r.name, value: r.value, stage: r.stage as StageName | null, at: new Date(r.at) }));
  }

  async applyWrites(runId: string, writes: readonly RunMetric[]): Promise<void> {
    if (writes.length > 0) this.applyAll(runId, writes);
  }
}
