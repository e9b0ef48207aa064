import { useQuery } from '@apollo/client/react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useKeepSubscribed } from '../../app/useKeepSubscribed';
import { RelativeTime } from '../../common/components/RelativeTime';
import { Section } from '../../common/components/Section';
import { ErrorState } from '../../common/components/States';
import { formatClock, formatExact, formatNumber, stageLabel } from '../../common/format';
import { withLiveEvent } from '../../events/live-events';
import { OnRunEventAppendedDocument, RunMetricHistoryDocument, type RunMetricsFieldsFragment } from '../../gql/graphql';
import { CHART } from './chart-theme';

const METRIC_TYPES = ['ai.run.stage_metric'];

interface MetricPoint {
  t: number;
  value: number;
}

/** Every reported value of each metric over time (from the run's stage_metric events, live), and the latest values. */
export function MetricsView({ runId, run }: { runId: string; run: RunMetricsFieldsFragment }) {
  const { data, error, refetch, subscribeToMore, loading } = useQuery(RunMetricHistoryDocument, { variables: { runId } });
  const events = data?.run?.events.nodes ?? [];

  useKeepSubscribed(
    !!data?.run,
    {
      start: (fail) =>
        subscribeToMore({
          document: OnRunEventAppendedDocument,
          variables: { runId, types: METRIC_TYPES, afterSeq: events.at(-1)?.seq ?? 0 },
          updateQuery: (_, { previousData, complete, subscriptionData }) => {
            if (!complete || !previousData.run) return undefined;
            const events = withLiveEvent(previousData.run.events, subscriptionData.data.runEventAppended, 'last');
            return events && { run: { ...previousData.run, events } };
          },
          onError: fail,
        }),
    },
    [runId],
  );

  const series = new Map<string, MetricPoint[]>();
  for (const event of events) {
    const d = event.data as { name?: unknown; value?: unknown; stage?: unknown };
    if (typeof d.name !== 'string' || typeof d.value !== 'number') continue;
    const points = series.get(d.name) ?? [];
    points.push({ t: new Date(event.time).getTime(), value: d.value });
    series.set(d.name, points);
  }

  return (
    <Section title="Metrics" id="metrics">
      {error && <ErrorState what="the metric history" error={error} onRetry={() => void refetch()} />}
      {series.size > 0 ? (
        <figure className="chart" aria-label={`Metric history: ${[...series.keys()].join(', ')}`}>
          <ResponsiveContainer width="100%" height={240}>
            <LineChart margin={{ left: 0, right: 8, top: 8, bottom: 8 }}>
              <CartesianGrid stroke={CHART.grid} />
              <XAxis
                dataKey="t"
                type="number"
                domain={['dataMin', 'dataMax']}
                scale="time"
                tick={CHART.tick}
                stroke={CHART.axis}
                tickFormatter={(t: number) => formatClock(new Date(t))}
                allowDuplicatedCategory={false}
              />
              <YAxis tick={CHART.tick} stroke={CHART.axis} width={48} />
              <Tooltip contentStyle={CHART.tooltip} labelFormatter={(t) => formatExact(new Date(Number(t)))} />
              <Legend />
              {[...series.entries()].map(([name, points], i) => (
                <Line
                  key={name}
                  data={points}
                  dataKey="value"
                  name={name}
                  stroke={CHART.series[i % CHART.series.length]}
                  dot={points.length < 40}
                  isAnimationActive={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </figure>
      ) : (
        !error && <p className="muted">{loading ? 'Loading metric history…' : 'No metric reported yet.'}</p>
      )}
      {run.metrics.length > 0 && (
        <table className="metrics-latest">
          <caption>Latest values</caption>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col" className="num">
                Value
              </th>
              <th scope="col">Stage</th>
              <th scope="col">Reported</th>
            </tr>
          </thead>
          <tbody>
            {run.metrics.map((m) => (
              <tr key={m.name}>
                <th scope="row">{m.name}</th>
                <td className="num">{formatNumber(m.value)}</td>
                <td>{m.stage ? stageLabel(m.stage, { short: true }) : '—'}</td>
                <td>
                  <RelativeTime value={m.at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Section>
  );
}
