import type { JobsOptions } from 'bullmq';

export const ORCHESTRATOR_QUEUE = 'orchestrator';

/** Every job of the `orchestrator` queue: its name and payload. The processor must handle each one. */
export interface OrchestratorJobs {
  /** Acquire a GPU slot, provision a pod and start the worker for a QUEUED run. */
  start: { runId: string };
  /** The same for a finished run's writeup retry (the worker in writeup mode). */
  writeup: { runId: string; attempt: number };
  /** Fail runs that never started or stopped heartbeating; terminate their pods (scheduled). */
  watchdog: Record<string, never>;
  /** Terminate provider pods that belong to no live run; release slots of runs whose pod is gone (scheduled). */
  reaper: Record<string, never>;
}

export type OrchestratorJobName = keyof OrchestratorJobs;

export const ORCHESTRATOR_JOB_NAMES: readonly OrchestratorJobName[] = ['start', 'writeup', 'watchdog', 'reaper'];

const kept = { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } } as const;

export const ORCHESTRATOR_JOB_OPTIONS: { [N in OrchestratorJobName]: (data: OrchestratorJobs[N]) => JobsOptions } = {
  // jobId = run id: a run can never be queued twice, whoever enqueues it.
  start: ({ runId }) => ({ jobId: runId, attempts: 5, backoff: { type: 'exponential', delay: 3000 }, ...kept }),
  writeup: ({ runId, attempt }) => ({ jobId: `writeup-${runId}-${attempt}`, attempts: 5, backoff: { type: 'exponential', delay: 3000 }, ...kept }),
  watchdog: () => ({ attempts: 1, ...kept }),
  reaper: () => ({ attempts: 1, ...kept }),
};
