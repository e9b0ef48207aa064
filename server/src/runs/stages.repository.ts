import type { Stage, StageName } from './run.js';

export const STAGES_REPOSITORY = Symbol('STAGES_REPOSITORY');

/**
 * Port for stage records: one per (run, stage), created on first touch, never duplicated.
 * Every write only moves a stage forward: progress never decreases and a finished stage stays finished.
 */
export interface StagesRepository {
  listByRun(runId: string): Promise<Stage[]>;
  markStarted(runId: string, name: StageName, at: Date, description?: string | null): Promise<Stage>;
  recordProgress(runId: string, name: StageName, progress: number, at: Date): Promise<Stage>;
  markCompleted(runId: string, name: StageName, at: Date, durationS?: number | null, summary?: unknown): Promise<Stage>;
  markFailed(runId: string, name: StageName, at: Date): Promise<Stage>;
}
