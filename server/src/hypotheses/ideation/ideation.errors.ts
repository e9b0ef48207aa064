import { DomainError, ErrorKind } from '../../common/errors/domain-error.js';

export enum IdeationErrorCode {
  IdeationNotFound = 'IDEATION_NOT_FOUND',
  IdeationInProgress = 'IDEATION_IN_PROGRESS',
}

export const ideationNotFound = (ideationId: string) =>
  new DomainError(ErrorKind.NotFound, IdeationErrorCode.IdeationNotFound, `Ideation ${ideationId} not found`, { ideationId });

export const ideationInProgress = (hypothesisId: string, ideationId: string) =>
  new DomainError(
    ErrorKind.Conflict,
    IdeationErrorCode.IdeationInProgress,
    `Hypothesis ${hypothesisId} is still being refined by ideation ${ideationId}; launch a run once it has completed`,
    { hypothesisId, ideationId },
  );
