import type { NodeWrite } from './nodes.repository.js';
import type { RunMetric, RunStatus } from './run.js';
import type { RunProjectionPatch, RunStatusPatch } from './runs.repository.js';
import type { StageWrite } from './stages.repository.js';

/** A status change a worker's event asks for; it goes through the state machine like any other. */
export interface RequestedTransition {
  /** Position of the event asking for it. */
  eventSeq: number;
  to: RunStatus;
  at: Date;
  by: string;
  reason: string | null;
  patch?: RunStatusPatch;
}

/** Everything a batch of events changes in the runs module's stores. */
export interface RunProjection {
  patch: RunProjectionPatch;
  stages: StageWrite[];
  nodes: NodeWrite[];
  metrics: RunMetric[];
  /** In the order to apply them (event time). */
  transitions: RequestedTransition[];
}

/** What became of a requested transition: recorded on its event. */
export interface TransitionOutcome {
  eventSeq: number;
  applied: boolean;
  note: string;
}

