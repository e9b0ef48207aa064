import type { RunStatus } from '../gql/graphql';

export const RUN_STATUSES: readonly RunStatus[] = [
  'QUEUED',
  'SCHEDULED',
  'STARTING',
  'RUNNING',
  'AUTO_VALIDATING',
  'AWAITING_HUMAN',
  'COMPLETED',
  'HUMAN_VALIDATED',
  'FAILED',
  'CANCELED',
];

const TERMINAL: ReadonlySet<RunStatus> = new Set(['HUMAN_VALIDATED', 'FAILED', 'CANCELED']);
/** Statuses in which the worker is (or is about to be) doing something. */
const WORKING: ReadonlySet<RunStatus> = new Set(['SCHEDULED', 'STARTING', 'RUNNING', 'AUTO_VALIDATING']);
const REVIEWABLE: ReadonlySet<RunStatus> = new Set(['AWAITING_HUMAN', 'COMPLETED']);

export const isTerminal = (status: RunStatus) => TERMINAL.has(status);
export const isWorking = (status: RunStatus) => WORKING.has(status);
/** The run holds or will hold compute: hiding its hypothesis cancels it (as the server does). */
export const isActive = (status: RunStatus) => status === 'QUEUED' || WORKING.has(status);
/** The run's paper awaits a human verdict (the validation queue, the review form). */
export const isReviewable = (status: RunStatus) => REVIEWABLE.has(status);
/** Cancel is offered in every non-final status (the server's cancelRun accepts them all). */
export const canCancel = (status: RunStatus) => !TERMINAL.has(status);

/** The paper can be written again for a run that failed or completed (retryWriteup). */
export const canRetryWriteup = (status: RunStatus) => status === 'FAILED' || status === 'COMPLETED';
