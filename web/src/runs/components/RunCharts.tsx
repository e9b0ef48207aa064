import type { RunDetailFieldsFragment } from '../../gql/graphql';
import { MetricsView } from './MetricsView';
import { NodeHistoryView } from './NodeHistoryView';
import { StageTimingView } from './StageTimingView';

/** The run page's charts, loaded as their own chunk (the charting library is large). */
export default function RunCharts({ run }: { run: RunDetailFieldsFragment }) {
  return (
    <div className="grid grid-3">
      <StageTimingView run={run} />
      <NodeHistoryView run={run} />
      <MetricsView runId={run.id} run={run} />
    </div>
  );
}
