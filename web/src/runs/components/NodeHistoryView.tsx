import { CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Scatter, Tooltip, XAxis, YAxis } from 'recharts';
import { Section } from '../../common/components/Section';
import { formatBytes, formatDuration, formatNumber, stageLabel } from '../../common/format';
import type { NodeHistoryFieldsFragment } from '../../gql/graphql';
import { CHART } from './chart-theme';
import { bestNode, nodeHistorySeries } from './node-history';

/** Good vs buggy nodes over iterations (and each good node's metric), and the best node. */
export function NodeHistoryView({ run }: { run: NodeHistoryFieldsFragment }) {
  const data = nodeHistorySeries(run.nodeHistory);
  const best = bestNode(run);
  const last = data.at(-1);
  return (
    <Section title="Experiment nodes" id="nodes">
      {data.length === 0 ? (
        <p className="muted">No node has completed yet.</p>
      ) : (
        <figure className="chart" aria-label={`Nodes over iterations: ${last?.good ?? 0} good, ${last?.buggy ?? 0} buggy`}>
          <ResponsiveContainer width="100%" height={240}>
            <ComposedChart data={data} margin={{ left: 0, right: 8, top: 8, bottom: 8 }}>
              <CartesianGrid stroke={CHART.grid} />
              <XAxis dataKey="iteration" tick={CHART.tick} stroke={CHART.axis} />
              <YAxis yAxisId="count" allowDecimals={false} tick={CHART.tick} stroke={CHART.axis} width={32} />
              <YAxis yAxisId="metric" orientation="right" tick={CHART.tick} stroke={CHART.axis} width={48} />
              <Tooltip contentStyle={CHART.tooltip} />
              <Legend />
              <Line yAxisId="count" type="stepAfter" dataKey="good" name="good (cumulative)" stroke={CHART.good} dot={false} isAnimationActive={false} />
              <Line yAxisId="count" type="stepAfter" dataKey="buggy" name="buggy (cumulative)" stroke={CHART.bad} dot={false} isAnimationActive={false} />
              <Scatter yAxisId="metric" dataKey="metric" name="metric" fill={CHART.accent} isAnimationActive={false} />
            </ComposedChart>
          </ResponsiveContainer>
        </figure>
      )}
      {best && (
        <div className="best-node">
          <h3>Best node</h3>
          <dl className="facts">
            <div>
              <dt>Node</dt>
              <dd>
                <code>{best.nodeId}</code>
              </dd>
            </div>
            <div>
              <dt>Stage</dt>
              <dd>{stageLabel(best.stage)}</dd>
            </div>
            <div>
              <dt>Metric</dt>
              <dd>{formatNumber(best.metric)}</dd>
            </div>
            {best.node && (
              <>
                <div>
                  <dt>Run time</dt>
                  <dd>{formatDuration(best.node.execTimeS)}</dd>
                </div>
                <div>
                  <dt>Code</dt>
                  <dd>{formatBytes(best.node.codeSizeBytes)}</dd>
                </div>
                <div>
                  <dt>Parent</dt>
                  <dd>{best.node.parentId ? <code>{best.node.parentId}</code> : 'root'}</dd>
                </div>
              </>
            )}
          </dl>
        </div>
      )}
      <p className="muted">
        {run.nodes.length} node{run.nodes.length === 1 ? '' : 's'} in the search tree
        {run.nodes.length > 0 && `: ${run.nodes.filter((n) => n.status === 'EXECUTING').length} executing`}
      </p>
    </Section>
  );
}
