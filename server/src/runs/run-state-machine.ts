import { RunStatus } from './run.js';

const S = RunStatus;

/** Allowed status changes (spec/events.md, "Run status machine"). Every status write goes through this table. */
export const RUN_TRANSITIONS: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  [S.QUEUED]: [S.SCHEDULED, S.CANCELED],
  [S.SCHEDULED]: [S.STARTING, S.RUNNING, S.FAILED, S.CANCELED],
  [S.STARTING]: [S.RUNNING, S.FAILED, S.CANCELED],
  [S.RUNNING]: [S.AUTO_VALIDATING, S.FAILED, S.CANCELED, S.COMPLETED],
  [S.AUTO_VALIDATING]: [S.AWAITING_HUMAN, S.FAILED, S.CANCELED],
  [S.AWAITING_HUMAN]: [S.HUMAN_VALIDATED, S.FAILED, S.CANCELED],
  [S.COMPLETED]: [S.AUTO_VALIDATING, S.AWAITING_HUMAN, S.HUMAN_VALIDATED, S.FAILED, S.CANCELED],
  [S.HUMAN_VALIDATED]: [],
  [S.FAILED]: [],
  [S.CANCELED]: [],
};

export function canTransition(from: RunStatus, to: RunStatus): boolean {
  return RUN_TRANSITIONS[from].includes(to);
}

/** The statuses a run may be in for a move to `to`: the compare part of compare-and-set. */
export function sourcesOf(to: RunStatus): RunStatus[] {
  return (Object.keys(RUN_TRANSITIONS) as RunStatus[]).filter((from) => canTransition(from, to));
}

export function isTerminal(status: RunStatus): boolean {
  return RUN_TRANSITIONS[status].length === 0;
}

/** Runs that hold or will hold compute: hiding their hypothesis cancels them. */
export const ACTIVE_STATUSES: readonly RunStatus[] = [S.QUEUED, S.SCHEDULED, S.STARTING, S.RUNNING, S.AUTO_VALIDATING];
