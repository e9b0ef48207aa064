import type { RunMetric } from './run.js';

export const METRICS_REPOSITORY = Symbol('METRICS_REPOSITORY');

/** Port for the latest value of each metric of a run: per key, the value of the newest event wins. */
export interface MetricsRepository {
  listByRun(runId: string): Promise<RunMetric[]>;
  applyWrites(runId: string, writes: readonly RunMetric[]): Promise<void>;
}
