import { DomainError, ErrorKind } from '../../common/errors/domain-error.js';
import { LlmError } from '../llm/llm.errors.js';

/** Which attempt of a BullMQ job is running, so a service can tell its last try from one that will be retried. */
export interface JobAttempt {
  /** 1 for the first attempt. */
  number: number;
  /** The job's `attempts` option. */
  max: number;
}

export const isFinalAttempt = (attempt: JobAttempt) => attempt.number >= attempt.max;

/**
 * Whether running a failed job again may succeed: LLM errors say so themselves, other domain
 * errors only when something was unavailable, anything unexpected (network, a crash) is worth a retry.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof LlmError) return error.retryable;
  if (error instanceof DomainError) return error.kind === ErrorKind.Unavailable || error.kind === ErrorKind.TooManyRequests;
  return true;
}

/**
 * The reason code and message a failed job records where clients read them. Unexpected errors are
 * not described (their messages may hold internals); the processor logs them in full.
 */
export function failureOf(error: unknown): { code: string; message: string } {
  if (error instanceof DomainError) return { code: error.reason, message: error.message };
  const name = error instanceof Error ? error.name : typeof error;
  return { code: 'INTERNAL_ERROR', message: `Unexpected ${name}; the server log has the details` };
}

/** The update a failed attempt makes to its job's stored request, and whether the job will run again. */
export interface AttemptFailure<S> {
  retry: boolean;
  update: { status: S; errorCode: string; errorMessage: string; completedAt?: Date; updatedAt: Date };
}

/**
 * How every LLM job records a failed attempt: back to `statuses.retry` while the error is worth
 * another try and attempts are left (the message says which attempt failed), else `statuses.final`
 * with the reason and a completion time.
 */
export function attemptFailure<S>(error: unknown, attempt: JobAttempt, statuses: { retry: S; final: S }): AttemptFailure<S> {
  const { code, message } = failureOf(error);
  const retry = isRetryable(error) && !isFinalAttempt(attempt);
  const now = new Date();
  return {
    retry,
    update: {
      status: retry ? statuses.retry : statuses.final,
      errorCode: code,
      errorMessage: retry ? `Attempt ${attempt.number} of ${attempt.max} failed (retrying): ${message}` : message,
      ...(retry ? {} : { completedAt: now }),
      updatedAt: now,
    },
  };
}
