import type { Cursor, Page } from '../common/pagination/cursor.js';
import type { AutoValidationWrite, ReviewQueueEntry, Validation } from './validation.js';

export const VALIDATIONS_REPOSITORY = Symbol('VALIDATIONS_REPOSITORY');

/**
 * Port for validation records; the automatic one is one record per run, written idempotently from
 * events; the human one is written once per run, atomically.
 */
export interface ValidationsRepository {
  listByRun(runId: string): Promise<Validation[]>;
  applyAutoWrites(runId: string, writes: readonly AutoValidationWrite[]): Promise<void>;
  /** Inserts a human validation unless its run has one already (false then, and nothing is written), atomically. */
  insertHuman(validation: Validation): Promise<boolean>;
  findHuman(runId: string): Promise<Validation | null>;
  /** Removes the run's human validation (a review whose status change was refused); true when there was one. */
  deleteHuman(runId: string): Promise<boolean>;
  /**
   * Runs waiting for a human: AWAITING_HUMAN, and COMPLETED with an automatic validation and no human
   * one; hidden runs left out; oldest first by (createdAt, run id), paged in the store.
   */
  listReviewQueue(page: { after?: Cursor; limit: number }): Promise<Page<ReviewQueueEntry>>;
  countReviewQueue(): Promise<number>;
}
