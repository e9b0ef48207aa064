import { DomainError, ErrorKind } from '../common/errors/domain-error.js';
import type { RunStatus } from '../runs/run.js';
import type { Validation } from './validation.js';

export enum ValidationErrorCode {
  RunNotAwaitingReview = 'RUN_NOT_AWAITING_REVIEW',
  RunAlreadyReviewed = 'RUN_ALREADY_REVIEWED',
}

export const runNotAwaitingReview = (runId: string, status: RunStatus, reviewable: readonly RunStatus[]) =>
  new DomainError(
    ErrorKind.Conflict,
    ValidationErrorCode.RunNotAwaitingReview,
    `Run ${runId} is ${status}; a human validation is possible only while it is ${reviewable.join(' or ')}`,
    { runId, status },
  );

export const runAlreadyReviewed = (runId: string, existing: Validation | null) =>
  new DomainError(
    ErrorKind.Conflict,
    ValidationErrorCode.RunAlreadyReviewed,
    existing
      ? `Run ${runId} was already reviewed by ${existing.reviewer ?? 'someone'} (${existing.verdict}) at ${existing.completedAt?.toISOString()}`
      : `Run ${runId} was already reviewed`,
    { runId, reviewer: existing?.reviewer ?? null, verdict: existing?.verdict ?? null },
  );
