import type { StageDuration } from './run-statistics.js';
import type { Stage, StageName } from './run.js';

export const STAGES_REPOSITORY = Symbol('STAGES_REPOSITORY');

/** One change to a stage record, as projected from an event. */
export type StageWrite =
  | { kind: 'started'; name: StageName; at: Date; description?: string | null }
  | { kind: 'progress'; name: StageName; at: Date; progress: number }
  | { kind: 'completed'; name: StageName; at: Date; durationS?: number | null; summary?: unknown }
  | { kind: 'failed'; name: StageName; at: Date }
  | { kind: 'best'; name: StageName; at: Date; nodeId: string; metric: number | null };

/**
 * Port for stage records: one per (run, stage), created on first touch, never duplicated.
 * Writes only move a stage forward and are idempotent: progress never decreases, a finished stage
 * stays finished, the earliest start and the first completion are kept, the newest best node wins.
 */
export interface StagesRepository {
  listByRun(runId: string): Promise<Stage[]>;
  /** Average duration of each stage over stages completed since `since` (store-side). */
  averageDurations(since: Date): Promise<StageDuration[]>;
  /** Applies the writes in one store round trip (one transaction / one bulk write). */
  applyWrites(runId: string, writes: readonly StageWrite[]): Promise<void>;
}
