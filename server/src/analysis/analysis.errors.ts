import { DomainError, ErrorKind } from '../common/errors/domain-error.js';

export enum AnalysisErrorCode {
  PaperNotAvailable = 'PAPER_NOT_AVAILABLE',
  PaperUnreadable = 'PAPER_UNREADABLE',
  PaperTooLarge = 'PAPER_TOO_LARGE',
  PaperHasNoText = 'PAPER_HAS_NO_TEXT',
}

export const paperNotAvailable = (runId: string) =>
  new DomainError(
    ErrorKind.Conflict,
    AnalysisErrorCode.PaperNotAvailable,
    `Run ${runId} has no paper to analyse yet (no ai.paper.generated event and no registered artifact of kind "paper")`,
    { runId },
  );

export const paperUnreadable = (key: string, why: string) =>
  new DomainError(ErrorKind.Conflict, AnalysisErrorCode.PaperUnreadable, `The paper ${key} cannot be read: ${why}`, { key });

export const paperTooLarge = (key: string, maxBytes: number) =>
  new DomainError(ErrorKind.PayloadTooLarge, AnalysisErrorCode.PaperTooLarge, `The paper ${key} is larger than ${maxBytes} bytes`, {
    key,
    maxBytes,
  });

export const paperHasNoText = (key: string) =>
  new DomainError(
    ErrorKind.Conflict,
    AnalysisErrorCode.PaperHasNoText,
    `No text could be extracted from the paper ${key} (a scanned PDF without a text layer?)`,
    { key },
  );
