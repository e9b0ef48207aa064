import type { AutoValidationWrite, Validation } from './validation.js';

export const VALIDATIONS_REPOSITORY = Symbol('VALIDATIONS_REPOSITORY');

/** Port for validation records; the automatic one is one record per run, written idempotently from events. */
export interface ValidationsRepository {
  listByRun(runId: string): Promise<Validation[]>;
  applyAutoWrites(runId: string, writes: readonly AutoValidationWrite[]): Promise<void>;
}
