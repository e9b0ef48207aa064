import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { RelativeTime } from '../../common/components/RelativeTime';
import { Empty, ErrorState, Loading } from '../../common/components/States';
import { usePageTitle } from '../../common/hooks/usePageTitle';
import { useThrottled } from '../../common/hooks/useThrottled';
import { ValidationQueueDocument, type ValidationQueueQuery } from '../../gql/graphql';
import { useRunsChanged } from '../../runs/hooks/useRunsChanged';
import { ValidationCard } from '../components/ValidationCard';

const PAGE = 20;

type QueuedRun = ValidationQueueQuery['runs']['nodes'][number];

/** When the run started waiting for a human: its latest move to AWAITING_HUMAN. */
const waitingSince = (run: QueuedRun) => [...run.statusHistory].reverse().find((t) => t.to === 'AWAITING_HUMAN')?.at ?? run.updatedAt;

/** Runs awaiting a human verdict, oldest first, each with its automatic validation summarised. Live. */
export function ValidationQueuePage() {
  usePageTitle('Validation queue');
  const { data, error, loading, refetch, fetchMore, updateQuery } = useQuery(ValidationQueueDocument, { variables: { first: PAGE } });
  const refresh = useThrottled(() => void refetch().catch(() => undefined), 1000);

  useRunsChanged(
    (run) => {
      let listed = false;
      updateQuery((_, { previousData, complete }) => {
        if (!complete) return undefined;
        listed = previousData.runs.nodes.some((r) => r.id === run.id);
        if (!listed || run.status === 'AWAITING_HUMAN') return undefined;
        // Validated (or canceled) elsewhere: it leaves the queue.
        return { runs: { ...previousData.runs, totalCount: previousData.runs.totalCount - 1, nodes: previousData.runs.nodes.filter((r) => r.id !== run.id) } };
      });
      // A run that joined the queue: fetch it with its validations.
      if (!listed && run.status === 'AWAITING_HUMAN') refresh();
    },
    { onResume: refresh },
  );

  const runs = data?.runs;
  return (
    <div className="validation-queue">
      <h1>Human validation queue{runs ? ` (${runs.totalCount})` : ''}</h1>
      <p className="muted">Runs whose paper awaits a human verdict, oldest first.</p>
      {error && !runs ? (
        <ErrorState what="the validation queue" error={error} onRetry={() => void refetch()} />
      ) : !runs ? (
        <Loading what="the validation queue" />
      ) : runs.nodes.length === 0 ? (
        <Empty>Nothing awaits a human verdict.</Empty>
      ) : (
        <>
          <ul className="queue">
            {runs.nodes.map((run) => {
              const auto = run.validations.filter((v) => v.kind === 'AUTO').at(-1);
              return (
                <li key={run.id} className="card queue-card" data-run-id={run.id}>
                  <header className="card-header">
                    <h2>
                      <Link to={`/runs/${run.id}#validations`}>{run.hypothesis.title}</Link>
                    </h2>
                    <span className="muted">
                      waiting <RelativeTime value={waitingSince(run)} />
                    </span>
                  </header>
                  {run.paper?.wordCount != null && <p className="muted">Paper: {run.paper.wordCount.toLocaleString('en')} words</p>}
                  {auto ? <ValidationCard validation={auto} compact /> : <p className="muted">No automatic validation recorded.</p>}
                  <Link className="button button-small" to={`/runs/${run.id}#validations`}>
                    Review the run →
                  </Link>
                </li>
              );
            })}
          </ul>
          {runs.pageInfo.hasNextPage && (
            <button
              type="button"
              className="button button-ghost"
              disabled={loading}
              onClick={() =>
                void fetchMore({
                  variables: { after: runs.pageInfo.endCursor },
                  updateQuery: (previous, { fetchMoreResult }) => ({
                    runs: { ...fetchMoreResult.runs, nodes: [...previous.runs.nodes, ...fetchMoreResult.runs.nodes] },
                  }),
                }).catch(() => undefined)
              }
            >
              Show more
            </button>
          )}
        </>
      )}
    </div>
  );
}
