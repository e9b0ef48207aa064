import { useQuery } from '@apollo/client/react';
import { lazy, Suspense } from 'react';
import { Link } from 'react-router';
import { ProgressBar } from '../../common/components/ProgressBar';
import { RelativeTime } from '../../common/components/RelativeTime';
import { Section } from '../../common/components/Section';
import { StatusBadge } from '../../common/components/StatusBadge';
import { Empty, ErrorState, Loading } from '../../common/components/States';
import { formatDuration, humanize } from '../../common/format';
import { usePageTitle } from '../../common/hooks/usePageTitle';
import { useThrottled } from '../../common/hooks/useThrottled';
import { OverviewDocument } from '../../gql/graphql';
import { useIdeationsChanged } from '../../ideation/hooks/useIdeationsChanged';
import { RunTable } from '../../runs/components/RunTable';
import { useRunsChanged } from '../../runs/hooks/useRunsChanged';
import { StatusCounts } from '../components/StatusCounts';

const StageDurationsChart = lazy(() => import('../components/StageDurationsChart'));

/** The dashboard: runs per status, capacity and queues, failures, stage durations, activity, and the run table. Live. */
export function OverviewPage() {
  usePageTitle('Overview');
  const { data, error, refetch } = useQuery(OverviewDocument);
  // A change says where a run is now, not where it was: ask for the statistics again (at most once a second).
  const refresh = useThrottled(() => void refetch().catch(() => undefined), 1000);
  useRunsChanged(refresh, { onResume: refresh });
  useIdeationsChanged(refresh);
  const overview = data?.overview;

  return (
    <div className="overview">
      <h1>Overview</h1>
      {error && !overview ? (
        <ErrorState what="the overview" error={error} onRetry={() => void refetch()} />
      ) : !overview ? (
        <Loading what="the overview" />
      ) : (
        <>
          <StatusCounts total={overview.totalRuns} byStatus={overview.runsByStatus} />
          <div className="grid grid-3">
            <Section title="Capacity" id="capacity">
              <dl className="facts">
                <div>
                  <dt>GPU slots in use</dt>
                  <dd data-testid="slots">
                    {overview.slots.inUse} / {overview.slots.max}
                  </dd>
                </div>
                <div>
                  <dt>Queue drains in</dt>
                  <dd>{overview.drainEstimateS == null ? <span className="muted">no estimate</span> : formatDuration(overview.drainEstimateS)}</dd>
                </div>
                <div>
                  <dt>Finished</dt>
                  <dd>
                    {overview.finishedLast24h} in 24 h · {overview.finishedLast7d} in 7 days
                  </dd>
                </div>
                <div>
                  <dt>Awaiting review</dt>
                  <dd>
                    <Link to="/validations/queue">{overview.validationQueueSize}</Link>
                  </dd>
                </div>
              </dl>
              <ProgressBar value={overview.slots.max ? overview.slots.inUse / overview.slots.max : 0} label="GPU slots in use" />
              <div className="table-wrap">
                <table>
                  <caption className="visually-hidden">Queue depths</caption>
                  <thead>
                    <tr>
                      <th scope="col">Queue</th>
                      <th scope="col" className="num">
                        Waiting
                      </th>
                      <th scope="col" className="num">
                        Active
                      </th>
                      <th scope="col" className="num">
                        Delayed
                      </th>
                      <th scope="col" className="num">
                        Failed
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {overview.queues.map((q) => (
                      <tr key={q.name}>
                        <th scope="row">{q.name}</th>
                        <td className="num">{q.waiting}</td>
                        <td className="num">{q.active}</td>
                        <td className="num">{q.delayed}</td>
                        <td className="num">{q.failed}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Section>
            <Section title="Average stage durations" id="stage-durations">
              {overview.stageDurations.length === 0 ? (
                <Empty>No stage has finished yet.</Empty>
              ) : (
                <Suspense fallback={<Loading what="the chart" />}>
                  <StageDurationsChart durations={overview.stageDurations} />
                </Suspense>
              )}
            </Section>
            <Section title="Failure reasons" id="failures">
              {overview.failureReasons.length === 0 ? (
                <Empty>No run has failed.</Empty>
              ) : (
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Error</th>
                        <th scope="col" className="num">
                          Runs
                        </th>
                        <th scope="col">Last</th>
                      </tr>
                    </thead>
                    <tbody>
                      {overview.failureReasons.map((f) => (
                        <tr key={f.errorType}>
                          <th scope="row">
                            <code>{f.errorType}</code>
                          </th>
                          <td className="num">{f.count}</td>
                          <td>
                            <RelativeTime value={f.lastAt} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </Section>
          </div>
          <div className="grid grid-2">
            <Section title="Latest runs" id="latest">
              {overview.latestRuns.length === 0 ? (
                <Empty>No runs yet.</Empty>
              ) : (
                <ul className="compact-list">
                  {overview.latestRuns.map((run) => (
                    <li key={run.id}>
                      <StatusBadge status={run.status} /> <Link to={`/runs/${run.id}`}>{run.hypothesis.title}</Link>{' '}
                      <span className="muted">
                        <RelativeTime value={run.createdAt} />
                      </span>
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title="Most active hypotheses" id="active-hypotheses">
              {overview.mostActiveHypotheses.length === 0 ? (
                <Empty>No runs yet.</Empty>
              ) : (
                <ul className="compact-list">
                  {overview.mostActiveHypotheses.map((h) => (
                    <li key={h.hypothesisId}>
                      <Link to={`/overview?hypothesis=${h.hypothesisId}`}>{h.title ?? h.hypothesisId}</Link>{' '}
                      <span className="muted">
                        {h.runCount} run{h.runCount === 1 ? '' : 's'}, last <RelativeTime value={h.lastRunAt} />
                      </span>
                    </li>
                  ))}
                </ul>
              )}
              {overview.ideations.some((i) => i.count > 0) && (
                <p className="muted">
                  Ideation: {overview.ideations.map((i) => `${i.count} ${humanize(i.status).toLowerCase()}`).join(' · ')} · <Link to="/ideation">queue</Link>
                </p>
              )}
            </Section>
          </div>
        </>
      )}
      <RunTable />
    </div>
  );
}
