import { DomainError, ErrorKind } from '../common/errors/domain-error.js';

export enum HypothesesErrorCode {
  HypothesisNotFound = 'HYPOTHESIS_NOT_FOUND',
  HypothesisHidden = 'HYPOTHESIS_HIDDEN',
}

export const hypothesisNotFound = (hypothesisId: string) =>
  new DomainError(ErrorKind.NotFound, HypothesesErrorCode.HypothesisNotFound, `Hypothesis ${hypothesisId} not found`, {
    hypothesisId,
  });

export const hypothesisHidden = (hypothesisId: string) =>
  new DomainError(
    ErrorKind.Conflict,
    HypothesesErrorCode.HypothesisHidden,
    `Hypothesis ${hypothesisId} is hidden; unhide it before launching runs`,
    { hypothesisId },
  );
