import type { NodeHistoryFieldsFragment } from '../../gql/graphql';

export interface NodeHistoryPoint {
  iteration: number;
  good: number;
  buggy: number;
  metric: number | null;
  nodeId: string;
}

/** Cumulative good and buggy node counts over iterations, with each node's metric. */
export function nodeHistorySeries(history: NodeHistoryFieldsFragment['nodeHistory']): NodeHistoryPoint[] {
  let good = 0;
  let buggy = 0;
  return [...history]
    .sort((a, b) => a.iteration - b.iteration)
    .map((entry) => {
      if (entry.isBuggy) buggy += 1;
      else good += 1;
      return { iteration: entry.iteration, good, buggy, metric: entry.isBuggy ? null : (entry.metric ?? null), nodeId: entry.nodeId };
    });
}

/** The best node of the latest stage that selected one, with its details. */
export function bestNode(run: NodeHistoryFieldsFragment) {
  const stage = [...run.stages].reverse().find((s) => s.bestNodeId);
  if (!stage?.bestNodeId) return null;
  const node = run.nodes.find((n) => n.nodeId === stage.bestNodeId) ?? null;
  return { stage: stage.name, nodeId: stage.bestNodeId, metric: stage.bestMetric ?? node?.metric ?? null, node };
}
