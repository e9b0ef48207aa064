import { useQuery } from '@apollo/client/react';
import { Link } from 'react-router';
import { ErrorState, Loading } from '../../common/components/States';
import { useThrottled } from '../../common/hooks/useThrottled';
import { humanize } from '../../common/format';
import { RunStatusCountsDocument, type RunStatus, type RunStatusCountsQuery } from '../../gql/graphql';
import { useRunsChanged } from '../../runs/hooks/useRunsChanged';

const FIELDS: [keyof RunStatusCountsQuery, RunStatus][] = [
  ['queued', 'QUEUED'],
  ['scheduled', 'SCHEDULED'],
  ['starting', 'STARTING'],
  ['running', 'RUNNING'],
  ['autoValidating', 'AUTO_VALIDATING'],
  ['awaitingHuman', 'AWAITING_HUMAN'],
  ['completed', 'COMPLETED'],
  ['humanValidated', 'HUMAN_VALIDATED'],
  ['failed', 'FAILED'],
  ['canceled', 'CANCELED'],
];

/** How many visible runs are in each status; recounted when runsChanged reports a change. */
export function StatusCounts() {
  const { data, error, refetch } = useQuery(RunStatusCountsDocument);
  // A change says where a run is now, not where it was: count again (at most once a second).
  const recount = useThrottled(() => void refetch().catch(() => undefined), 1000);
  useRunsChanged(recount, { onResume: recount });

  if (error && !data) return <ErrorState what="the run counts" error={error} onRetry={() => void refetch()} />;
  if (!data) return <Loading what="run counts" />;
  const total = FIELDS.reduce((sum, [field]) => sum + data[field].totalCount, 0);
  return (
    <section aria-labelledby="counts-title" className="counts-section">
      <h2 id="counts-title" className="visually-hidden">
        Runs per status
      </h2>
      <ul className="counts">
        <li>
          <Link to="/overview" className="count count-total" data-testid="count-total">
            <span className="count-value">{total.toLocaleString('en')}</span>
            <span className="count-label">All runs</span>
          </Link>
        </li>
        {FIELDS.map(([field, status]) => (
          <li key={status}>
            <Link to={`/overview?status=${status}`} className={`count count-${status.toLowerCase()}`} data-testid={`count-${status}`}>
              <span className="count-value">{data[field].totalCount.toLocaleString('en')}</span>
              <span className="count-label">{humanize(status)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
