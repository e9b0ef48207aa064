import { CommonErrorCode, DomainError, ErrorKind } from '../common/errors/domain-error.js';

export enum EventsErrorCode {
  EmptyIngest = 'EMPTY_INGEST',
  TooManyLines = 'TOO_MANY_LINES',
  InvalidEvent = 'INVALID_EVENT',
  RunTokenForOtherRun = 'RUN_TOKEN_FOR_OTHER_RUN',
  RunNotFound = 'RUN_NOT_FOUND',
}

export const emptyIngest = () =>
  new DomainError(ErrorKind.BadUserInput, EventsErrorCode.EmptyIngest, 'The request holds no event (the body is empty or only blank lines)');

export const tooManyLines = (lines: number, max: number) =>
  new DomainError(
    ErrorKind.PayloadTooLarge,
    EventsErrorCode.TooManyLines,
    `The batch holds ${lines} lines; at most ${max} are accepted per request (INGEST_MAX_BATCH_LINES)`,
    { lines, max },
  );

export const ingestRateLimited = (events: number, ratePerS: number, burst: number, retryAfterMs: number) =>
  new DomainError(
    ErrorKind.TooManyRequests,
    CommonErrorCode.RateLimited,
    `Ingest rate limit reached: this token may post ${ratePerS} events per second (bursts of up to ${burst}); ` +
      `these ${events} events fit in ${Math.ceil(retryAfterMs / 1000)} s (INGEST_RATE_PER_S, INGEST_BURST)`,
    { events, ratePerS, burst, retryAfterS: Math.max(1, Math.ceil(retryAfterMs / 1000)) },
  );
