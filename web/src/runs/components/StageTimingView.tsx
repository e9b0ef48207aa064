import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Section } from '../../common/components/Section';
import { useNow } from '../../common/hooks/useNow';
import { formatDuration, stageLabel } from '../../common/format';
import type { StageTimingFieldsFragment } from '../../gql/graphql';
import { CHART } from './chart-theme';

/** Time spent in each stage (running stages count up to now), as a bar chart with a table for screen readers. */
export function StageTimingView({ run }: { run: StageTimingFieldsFragment }) {
  const now = useNow();
  const data = run.stageTiming.map((t) => {
    const running = !t.completedAt && t.durationS == null;
    const seconds = t.durationS ?? (running && t.startedAt ? (now - new Date(t.startedAt).getTime()) / 1000 : (t.elapsedS ?? 0));
    return { stage: stageLabel(t.stage, { short: true }), label: stageLabel(t.stage), seconds: Math.max(0, seconds), running };
  });
  return (
    <Section title="Stage timing" id="timing">
      {data.length === 0 ? (
        <p className="muted">No stage has started yet.</p>
      ) : (
        <figure className="chart" aria-label="Time per stage">
          <ResponsiveContainer width="100%" height={200}>
            <BarChart data={data} layout="vertical" margin={{ left: 8, right: 16, top: 8, bottom: 8 }}>
              <CartesianGrid stroke={CHART.grid} horizontal={false} />
              <XAxis type="number" tick={CHART.tick} stroke={CHART.axis} tickFormatter={(v: number) => formatDuration(v)} />
              <YAxis type="category" dataKey="stage" tick={CHART.tick} stroke={CHART.axis} width={64} />
              <Tooltip
                contentStyle={CHART.tooltip}
                formatter={(value) => [formatDuration(Number(value)), 'time']}
                labelFormatter={(_, payload) => String(payload?.[0]?.payload?.label ?? '')}
              />
              <Bar dataKey="seconds" isAnimationActive={false}>
                {data.map((d) => (
                  <Cell key={d.stage} fill={d.running ? CHART.series[1] : CHART.accent} />
                ))}
              </Bar>
            </BarChart>
          </ResponsiveContainer>
          <table className="visually-hidden">
            <caption>Time per stage</caption>
            <tbody>
              {data.map((d) => (
                <tr key={d.stage}>
                  <th scope="row">{d.label}</th>
                  <td>
                    {formatDuration(d.seconds)}
                    {d.running ? ' (running)' : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </figure>
      )}
    </Section>
  );
}
