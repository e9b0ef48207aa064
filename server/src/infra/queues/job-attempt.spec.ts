import { DomainError, ErrorKind } from '../../common/errors/domain-error.js';
import { llmRefused, llmUnavailable } from '../llm/llm.errors.js';
import { attemptFailure } from './job-attempt.js';

const statuses = { retry: 'QUEUED', final: 'FAILED' } as const;

describe('attemptFailure', () => {
  it('goes back to the retry status, naming the attempt, when the error is retryable and attempts are left', () => {
    const failure = attemptFailure(llmUnavailable('ideation', 3, 'HTTP 503'), { number: 1, max: 2 }, statuses);

    expect(failure.retry).toBe(true);
    expect(failure.update).toEqual({
      status: 'QUEUED',
      errorCode: 'LLM_UNAVAILABLE',
      errorMessage: 'Attempt 1 of 2 failed (retrying): The LLM server failed the ideation request on all 3 attempts: HTTP 503',
      updatedAt: expect.any(Date),
    });
  });

  it('ends in the final status with the reason and a completion time on the last attempt', () => {
    const failure = attemptFailure(llmUnavailable('ideation', 3, 'HTTP 503'), { number: 2, max: 2 }, statuses);

    expect(failure.retry).toBe(false);
    expect(failure.update).toMatchObject({ status: 'FAILED', errorCode: 'LLM_UNAVAILABLE', errorMessage: expect.stringMatching(/^The LLM server failed/) });
    expect(failure.update.completedAt).toEqual(failure.update.updatedAt);
  });

  it('ends at once when the error says another attempt cannot help', () => {
    expect(attemptFailure(llmRefused('paper analysis', 'm', 'no'), { number: 1, max: 3 }, statuses)).toMatchObject({ retry: false, update: { status: 'FAILED' } });
    expect(attemptFailure(new DomainError(ErrorKind.NotFound, 'RUN_NOT_FOUND', 'gone'), { number: 1, max: 3 }, statuses).update).toMatchObject({
      status: 'FAILED',
      errorCode: 'RUN_NOT_FOUND',
      errorMessage: 'gone',
    });
  });

  it('retries an unexpected error without describing it', () => {
    const failure = attemptFailure(new TypeError('secret internals'), { number: 1, max: 3 }, statuses);

    expect(failure.retry).toBe(true);
    expect(failure.update).toMatchObject({ errorCode: 'INTERNAL_ERROR', errorMessage: 'Attempt 1 of 3 failed (retrying): Unexpected TypeError; the server log has the details' });
  });
});
