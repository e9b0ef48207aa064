import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { LoadMoreButton } from '../../common/components/LoadMoreButton';
import { RelativeTime } from '../../common/components/RelativeTime';
import { StatusBadge } from '../../common/components/StatusBadge';
import { Empty, ErrorState, Loading } from '../../common/components/States';
import { usePageTitle } from '../../common/hooks/usePageTitle';
import { useThrottled } from '../../common/hooks/useThrottled';
import { appendPage } from '../../common/pagination';
import { ValidationQueueDocument, type ValidationQueueQuery } from '../../gql/graphql';
import { useRunsChanged } from '../../runs/hooks/useRunsChanged';
import { isReviewable } from '../../runs/run-status';
import { ValidationCard } from '../components/ValidationCard';

const PAGE = 20;

type QueuedRun = ValidationQueueQuery['validationQueue']['nodes'][number]['run'];

/** When the run started waiting for a human: its latest move to AWAITING_HUMAN (or COMPLETED). */
const waitingSince = (run: QueuedRun) => [...run.statusHistory].reverse().find((t) => isReviewable(t.to))?.at ?? run.updatedAt;

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
        const queue = previousData.validationQueue;
        listed = queue.nodes.some((item) => item.run.id === run.id);
        if (!listed || isReviewable(run.status)) return undefined;
        // Validated (or canceled) elsewhere: it leaves the queue.
        return { validationQueue: { ...queue, totalCount: queue.totalCount - 1, nodes: queue.nodes.filter((item) => item.run.id !== run.id) } };
      });
      // A run that may have joined the queue: fetch the queue with its validations.
      if (!listed && isReviewable(run.status)) refresh();
    },
    { onResume: refresh },
  );

  const queue = data?.validationQueue;
  return (
    <div className="validation-queue">
      <h1>Human validation queue{queue ? ` (${queue.totalCount})` : ''}</h1>
      <p className="muted">Runs whose paper awaits a human verdict, oldest first.</p>
      {error && !queue ? (
        <ErrorState what="the validation queue" error={error} onRetry={() => void refetch()} />
      ) : !queue ? (
        <Loading what="the validation queue" />
      ) : queue.nodes.length === 0 ? (
        <Empty>Nothing awaits a human verdict.</Empty>
      ) : (
        <>
          <ul className="queue">
            {queue.nodes.map(({ run, autoValidation: auto }) => (
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
                <p>
                  <StatusBadge status={run.status} />
                </p>
                {auto ? <ValidationCard validation={auto} compact /> : <p className="muted">No automatic validation recorded.</p>}
                <Link className="button button-small" to={`/runs/${run.id}#validations`}>
                  Review the run →
                </Link>
              </li>
            ))}
          </ul>
          <LoadMoreButton
            pageInfo={queue.pageInfo}
            loading={loading}
            onLoad={(after) =>
              fetchMore({
                variables: { after },
                updateQuery: (previous, { fetchMoreResult }) => ({
                  validationQueue: appendPage(previous.validationQueue, fetchMoreResult.validationQueue, (item) => item.run.id),
                }),
              })
            }
          >
            Show more
          </LoadMoreButton>
        </>
      )}
    </div>
  );
}
