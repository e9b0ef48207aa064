import { DomainError, ErrorKind } from '../common/errors/domain-error.js';
import type { RunStatus } from './run.js';

export enum RunsErrorCode {
  RunNotFound = 'RUN_NOT_FOUND',
  IllegalTransition = 'ILLEGAL_RUN_TRANSITION',
}

export const runNotFound = (runId: string) =>
  new DomainError(ErrorKind.NotFound, RunsErrorCode.RunNotFound, `Run ${runId} not found`, { runId });

export const illegalTransition = (runId: string, from: RunStatus, to: RunStatus) =>
  new DomainError(
    ErrorKind.Conflict,
    RunsErrorCode.IllegalTransition,
    `Run ${runId} is ${from} and cannot move to ${to}`,
    { runId, from, to },
  );
