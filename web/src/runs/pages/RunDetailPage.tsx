import { useQuery } from '@apollo/client/react';
import { lazy, Suspense, useEffect, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { useKeepSubscribed } from '../../app/useKeepSubscribed';
import { PaperAnalysisPanel } from '../../analysis/components/PaperAnalysisPanel';
import { ArtifactList } from '../../artifacts/components/ArtifactList';
import { PlotGallery } from '../../artifacts/components/PlotGallery';
import { Section } from '../../common/components/Section';
import { ErrorState, Loading } from '../../common/components/States';
import { errorCode } from '../../common/errors';
import { formatClock, formatExact } from '../../common/format';
import { usePageTitle } from '../../common/hooks/usePageTitle';
import { LiveLogViewer } from '../../events/components/LiveLogViewer';
import { RunEventsFeed } from '../../events/components/RunEventsFeed';
import type { LogLine } from '../../events/hooks/run-log-feed';
import { useRunLogs } from '../../events/hooks/useRunLogs';
import { OnRunUpdatedDocument, RunDetailDocument } from '../../gql/graphql';
import { ValidationsView } from '../../validation/components/ValidationsView';
import { ErrorDisplay } from '../components/ErrorDisplay';
import { FinalPdfBanner } from '../components/FinalPdfBanner';
import { PipelineStages } from '../components/PipelineStages';
import { PodPanel } from '../components/PodPanel';
import { RunHeader } from '../components/RunHeader';
import { StageProgressPanel } from '../components/StageProgressPanel';
import { StatusHistory } from '../components/StatusHistory';

const RunCharts = lazy(() => import('../components/RunCharts'));
/** Download URLs are short-lived (PRESIGN_EXPIRY_S, 15 min by default): older ones are fetched again. */
const URL_FRESH_MS = 10 * 60_000;

function CurrentActivity({ line }: { line: LogLine | undefined }) {
  return (
    <section className="activity" aria-label="Current activity" aria-live="polite" data-testid="current-activity">
      <span className="activity-label">Latest</span>
      {line ? (
        <>
          <time dateTime={line.time} title={formatExact(new Date(line.time))}>
            {formatClock(new Date(line.time))}
          </time>
          <span className={`log-level log-${line.level.toLowerCase()}`}>{line.level}</span>
          <span className="activity-message">{line.message}</span>
        </>
      ) : (
        <span className="muted">no log line yet</span>
      )}
    </section>
  );
}

/** Everything about one run, live: state from runUpdated, log lines and events from their streams. */
export function RunDetailPage() {
  const { id = '' } = useParams();
  const { data, error, refetch, subscribeToMore } = useQuery(RunDetailDocument, { variables: { id } });
  const logs = useRunLogs(id);
  const run = data?.run;
  usePageTitle(run ? `${run.hypothesis.title} (${run.status.toLowerCase()})` : 'Run');

  // Coming back to a page left open for long: its download URLs may have expired.
  const fetchedAt = useRef(Date.now());
  useEffect(() => {
    fetchedAt.current = Date.now();
  }, [data]);
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible' && Date.now() - fetchedAt.current > URL_FRESH_MS) void refetch().catch(() => undefined);
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [refetch]);

  // runUpdated carries the whole projected run: the normalised cache updates every panel.
  useKeepSubscribed(
    !!run,
    {
      start: (fail) => subscribeToMore({ document: OnRunUpdatedDocument, variables: { runId: id }, onError: fail }),
      // Changes made while disconnected are not replayed: read the run again.
      onResume: () => void refetch().catch(() => undefined),
    },
    [id],
  );

  if (!run) {
    if (error && errorCode(error) === 'NOT_FOUND') {
      return (
        <div className="state state-empty">
          <h1>Run not found</h1>
          <p>
            There is no run with id <code>{id}</code>. <Link to="/overview">See all runs</Link>.
          </p>
        </div>
      );
    }
    if (error) return <ErrorState what="the run" error={error} onRetry={() => void refetch()} />;
    return <Loading what="the run" />;
  }

  return (
    <div className="run-page">
      <RunHeader run={run} />
      {error && <ErrorState what="the latest run state" error={error} onRetry={() => void refetch()} />}
      <ErrorDisplay run={run} />
      <FinalPdfBanner run={run} archive={run.artifacts.find((a) => a.kind === 'archive' && a.url)} />
      <CurrentActivity line={logs.lines.at(-1)} />
      <div className="grid grid-2">
        <StageProgressPanel run={run} />
        <PodPanel run={run} />
      </div>
      <PipelineStages run={run} />
      <Section title="Log" id="logs" actions={<span className={logs.live ? 'live-dot live' : 'live-dot'}>{logs.live ? 'live' : 'not live'}</span>}>
        <LiveLogViewer feed={logs} />
      </Section>
      <Suspense fallback={<Loading what="charts" />}>
        <RunCharts run={run} />
      </Suspense>
      <PlotGallery artifacts={run.artifacts} onStale={() => void refetch().catch(() => undefined)} />
      <ValidationsView runId={run.id} status={run.status} validations={run.validations} />
      <PaperAnalysisPanel runId={run.id} analysis={run.paperAnalysis} hasPaper={run.paper?.status === 'GENERATED' || !!run.paperArtifact} />
      <ArtifactList artifacts={run.artifacts} />
      <RunEventsFeed runId={id} />
      <StatusHistory run={run} />
    </div>
  );
}
