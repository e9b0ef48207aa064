import type { Page, PageRequest } from '../common/pagination/cursor.js';
import type { RunStatistics } from './run-statistics.js';
import type { CurrentStagePatch, Run, RunPaper, RunPod, RunProvisioning, RunStatus, RunTelemetry } from './run.js';

export const RUNS_REPOSITORY = Symbol('RUNS_REPOSITORY');

export interface RunFilter {
  statuses?: readonly RunStatus[];
  hypothesisId?: string;
  /** true: hidden runs only; false: visible runs only; undefined: both. */
  hidden?: boolean;
}

/** Fields a status change may set together with the status, in the same atomic write. */
export interface RunStatusPatch {
  startedAt?: Date;
  completedAt?: Date;
  failedAt?: Date;
  errorType?: string | null;
  errorMessage?: string | null;
  errorTraceback?: string | null;
}

export interface StatusChange {
  to: RunStatus;
  at: Date;
  by: string;
  reason?: string | null;
  /** Narrows the statuses the run may be in; the state machine's sources are always enforced. */
  from?: readonly RunStatus[];
  patch?: RunStatusPatch;
}

/**
 * What projecting a batch of events changes on the run row, merged so that applying it twice, or
 * after a newer patch, changes nothing: the newest value by event time wins, counters only grow.
 */
export interface RunProjectionPatch {
  lastEventSeq: number;
  lastHeartbeat?: Date;
  /** Merged per field into the stored one of the same stage; a newer event of another stage replaces it. */
  currentStage?: CurrentStagePatch;
  telemetry?: RunTelemetry;
  pod?: RunPod;
  paper?: RunPaper;
  /** When the worker reported completion; kept once set. */
  completedAt?: Date;
}

/** Port for run storage; one adapter per store, kept honest by test/contract/runs.repository.contract.ts. */
export interface RunsRepository {
  /** Inserts a run. With an idempotency key already used for the hypothesis, returns that run instead. */
  insert(run: Run): Promise<{ run: Run; created: boolean }>;
  findById(id: string): Promise<Run | null>;
  findByIds(ids: readonly string[]): Promise<Run[]>;
  list(filter: RunFilter, page: PageRequest): Promise<Page<Run>>;
  count(filter: RunFilter): Promise<number>;
  listIds(filter: RunFilter): Promise<string[]>;
  /**
   * Compare-and-set on the status: applies `change` (status, patch, one statusHistory entry) in one
   * atomic write only if the run's current status may move to `change.to`. Returns null when it did not apply.
   */
  transition(id: string, change: StatusChange): Promise<Run | null>;
  setHidden(id: string, hidden: boolean, at: Date): Promise<Run | null>;
  /** Merges fields into the run's provisioning record (one atomic write); null when the run does not exist. */
  mergeProvisioning(id: string, patch: Partial<RunProvisioning>, at: Date): Promise<Run | null>;
  /** Starts a writeup retry if the run is FAILED or COMPLETED and none is active (compare-and-set); null otherwise. */
  claimWriteup(id: string, by: string, at: Date): Promise<Run | null>;
  /** Ends the active writeup retry. */
  finishWriteup(id: string, outcome: string, at: Date): Promise<Run | null>;
  /**
   * Aggregates for the overview, counted by the store: runs per status, finished in the last day
   * and week, the commonest failure reasons, the hypotheses with most (visible) runs.
   */
  statistics(now: Date, limit: number): Promise<RunStatistics>;
  /** One atomic, idempotent write of a projection patch; null when the run does not exist. */
  applyProjection(id: string, patch: RunProjectionPatch, at: Date): Promise<Run | null>;
}
