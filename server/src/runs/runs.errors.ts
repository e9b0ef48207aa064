import { DomainError, ErrorKind } from '../common/errors/domain-error.js';
import type { RunStatus } from './run.js';

export enum RunsErrorCode {
  RunNotFound = 'RUN_NOT_FOUND',
  IllegalTransition = 'ILLEGAL_RUN_TRANSITION',
  WriteupNotAllowed = 'WRITEUP_NOT_ALLOWED',
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

export const writeupNotAllowed = (runId: string, status: RunStatus, active: boolean) =>
  new DomainError(
    ErrorKind.Conflict,
    RunsErrorCode.WriteupNotAllowed,
    active
      ? `Run ${runId} already has a writeup retry in progress`
      : `Run ${runId} is ${status}; a writeup retry needs a FAILED or COMPLETED run`,
    { runId, status, active },
  );
