import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDuration, stageLabel } from '../../common/format';
import type { OverviewQuery } from '../../gql/graphql';
import { CHART } from '../../runs/components/chart-theme';

type Durations = OverviewQuery['overview']['stageDurations'];

/** Average time per pipeline stage over finished stages (its own chunk: the charting library is large). */
export default function StageDurationsChart({ durations }: { durations: Durations }) {
  const data = durations.map((d) => ({ stage: stageLabel(d.stage, { short: true }), label: stageLabel(d.stage), seconds: d.averageS, samples: d.samples }));
  return (
    <figure className="chart" aria-label="Average stage durations">
      <ResponsiveContainer width="100%" height={220}>
        <BarChart data={data} margin={{ left: 8, right: 16, top: 8, bottom: 8 }}>
          <CartesianGrid stroke={CHART.grid} vertical={false} />
          <XAxis dataKey="stage" tick={CHART.tick} stroke={CHART.axis} />
          <YAxis tick={CHART.tick} stroke={CHART.axis} tickFormatter={(v: number) => formatDuration(v)} width={64} />
          <Tooltip
            contentStyle={CHART.tooltip}
            formatter={(value, _name, item) => [`${formatDuration(Number(value))} (${(item?.payload as { samples?: number })?.samples ?? 0} runs)`, 'average']}
            labelFormatter={(_, payload) => String(payload?.[0]?.payload?.label ?? '')}
          />
          <Bar dataKey="seconds" fill={CHART.accent} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
      <table className="visually-hidden">
        <caption>Average stage durations</caption>
        <tbody>
          {data.map((d) => (
            <tr key={d.stage}>
              <th scope="row">{d.label}</th>
              <td>
                {formatDuration(d.seconds)} over {d.samples} runs
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
