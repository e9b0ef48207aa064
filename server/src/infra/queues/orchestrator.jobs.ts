import type { JobsOptions } from 'bullmq';

export const ORCHESTRATOR_QUEUE = 'orchestrator';

/** Every job of the `orchestrator` queue: its name and payload. The processor must handle each one. */
export interface OrchestratorJobs {
  /** Acquire a GPU slot, provision a pod and start the worker for a QUEUED run. */
  start: { runId: string };
}

export type OrchestratorJobName = keyof OrchestratorJobs;

export const ORCHESTRATOR_JOB_NAMES: readonly OrchestratorJobName[] = ['start'];

export const ORCHESTRATOR_JOB_OPTIONS: { [N in OrchestratorJobName]: (data: OrchestratorJobs[N]) => JobsOptions } = {
  // jobId = run id: a run can never be queued twice, whoever enqueues it.
  start: ({ runId }) => ({
    jobId: runId,
    attempts: 5,
    backoff: { type: 'exponential', delay: 3000 },
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  }),
};
