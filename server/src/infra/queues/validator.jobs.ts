import type { JobsOptions } from 'bullmq';

export const VALIDATOR_QUEUE = 'validator';

/** Every job of the `validator` queue: its name and payload. The processor must handle each one. */
export interface ValidatorJobs {
  /** Review a run's paper with the LLM: quantitative scores and qualitative text (the analysis module's stored request). */
  analyzePaper: { analysisId: string };
  /** Turn a hypothesis into research ideas with the LLM (the hypotheses module's stored ideation request). */
  ideate: { ideationId: string };
  /** Read a ChatGPT share page and create the hypothesis it holds (the hypotheses module's stored import). */
  importChatGpt: { importId: string };
}

export type ValidatorJobName = keyof ValidatorJobs;

export const VALIDATOR_JOB_NAMES: readonly ValidatorJobName[] = ['analyzePaper', 'ideate', 'importChatGpt'];

// LLM calls retry 429/5xx themselves (LLM_MAX_RETRIES); a job attempt more covers malformed answers and crashes.
const llmJob = { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } } as const;

export const VALIDATOR_JOB_OPTIONS: { [N in ValidatorJobName]: (data: ValidatorJobs[N]) => JobsOptions } = {
  // jobId = the stored request: enqueueing it again (a restart re-enqueueing what is stored as queued) adds nothing.
  analyzePaper: ({ analysisId }) => ({ jobId: `analyzePaper-${analysisId}`, attempts: 3, backoff: { type: 'exponential', delay: 2000 }, ...llmJob }),
  // An ideation is reflections + 1 calls: one more attempt, not three, of the whole chain.
  ideate: ({ ideationId }) => ({ jobId: `ideate-${ideationId}`, attempts: 2, backoff: { type: 'fixed', delay: 3000 }, ...llmJob }),
  importChatGpt: ({ importId }) => ({ jobId: `importChatGpt-${importId}`, attempts: 2, backoff: { type: 'fixed', delay: 3000 }, ...llmJob }),
};
