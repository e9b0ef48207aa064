import type { RunStatus, StageName } from './run.js';

/** Store-side aggregates over all runs, for the overview. */
export interface RunStatistics {
  byStatus: Partial<Record<RunStatus, number>>;
  finishedLast24h: number;
  finishedLast7d: number;
  failureReasons: { errorType: string; count: number; lastAt: Date }[];
  mostActiveHypotheses: { hypothesisId: string; runCount: number; lastRunAt: Date }[];
}

export interface StageDuration {
  stage: StageName;
  averageS: number;
  samples: number;
}
