import type { Run, RunStatus } from '../runs/run.js';
import type { RunStatistics, StageDuration } from '../runs/run-statistics.js';

export interface QueueDepths {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** The dashboard's numbers. */
export interface Overview {
  runsByStatus: { status: RunStatus; count: number }[];
  totalRuns: number;
  slots: { max: number; inUse: number; free: number };
  queues: QueueDepths[];
  validationQueueSize: number;
  ideations: { status: string; count: number }[];
  latestRuns: Run[];
  mostActiveHypotheses: (RunStatistics['mostActiveHypotheses'][number] & { title: string | null })[];
  finishedLast24h: number;
  finishedLast7d: number;
  failureReasons: RunStatistics['failureReasons'];
  stageDurations: StageDuration[];
  /** Seconds until the queued runs are through at recent speeds; null when there is nothing to estimate from. */
  drainEstimateS: number | null;
}
