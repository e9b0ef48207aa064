import type { PaperAnalysis, PaperAnalysisStatus, PaperAnalysisUpdate } from './paper-analysis.js';

export const PAPER_ANALYSES_REPOSITORY = Symbol('PAPER_ANALYSES_REPOSITORY');

/**
 * Port for paper analyses: at most one current analysis per run, older ones kept as history.
 * Kept honest by test/contract/paper-analyses.repository.contract.ts.
 */
export interface PaperAnalysesRepository {
  /**
   * Makes `analysis` the run's current one; the previous current one (if any) becomes history
   * (current false, supersededAt set). Null, with nothing written, when the run's current
   * analysis is in one of `unlessCurrentIn` (e.g. still queued or running).
   */
  replaceCurrent(analysis: PaperAnalysis, unlessCurrentIn: readonly PaperAnalysisStatus[]): Promise<PaperAnalysis | null>;
  findById(id: string): Promise<PaperAnalysis | null>;
  findCurrent(runId: string): Promise<PaperAnalysis | null>;
  /** Current analyses of several runs (batch loading); runs without one are absent. */
  findCurrentOfRuns(runIds: readonly string[]): Promise<PaperAnalysis[]>;
  /** Replaced analyses of a run, newest first. */
  listHistory(runId: string): Promise<PaperAnalysis[]>;
  /** Compare-and-set: applies the update only while the status is one of `from`; null otherwise. */
  update(id: string, from: readonly PaperAnalysisStatus[], update: PaperAnalysisUpdate): Promise<PaperAnalysis | null>;
  /** Ids of analyses in the given statuses, oldest first (to re-queue lost jobs at start-up). */
  listIdsByStatus(statuses: readonly PaperAnalysisStatus[]): Promise<string[]>;
}
