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
