import type { RunStatus } from '../../gql/graphql';

/** Runs that hold or will hold compute: hiding their hypothesis cancels them (as the server does). */
export const ACTIVE_STATUSES: ReadonlySet<RunStatus> = new Set(['QUEUED', 'SCHEDULED', 'STARTING', 'RUNNING', 'AUTO_VALIDATING']);
