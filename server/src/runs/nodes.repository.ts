import type { NodeHistoryEntry, NodeStatus, RunNode, StageName } from './run.js';

export const NODES_REPOSITORY = Symbol('NODES_REPOSITORY');

/** Everything the events of one batch say about one node, merged (see the projector). */
export interface NodeWrite {
  nodeId: string;
  stage: StageName;
  /** The furthest status any of the events reached. */
  status: NodeStatus;
  /** Time of the newest event about this node. */
  at: Date;
  parentId?: string | null;
  createdAt?: Date | null;
  codeSizeBytes?: number | null;
  isBuggy?: boolean | null;
  metric?: number | null;
  execTimeS?: number | null;
  completedAt?: Date | null;
}

/**
 * Port for the experiment search tree of a run. Writes merge: the status only advances, the
 * first parent/creation/completion is kept, results come from the completing event.
 */
export interface NodesRepository {
  listByRun(runId: string): Promise<RunNode[]>;
  /** Completed nodes in completion order. */
  history(runId: string): Promise<NodeHistoryEntry[]>;
  applyWrites(runId: string, writes: readonly NodeWrite[]): Promise<void>;
}
