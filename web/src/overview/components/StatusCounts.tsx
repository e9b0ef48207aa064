import { Link } from 'react-router';
import { humanize } from '../../common/format';
import type { RunStatus } from '../../gql/graphql';
import { RUN_STATUSES } from '../../runs/run-status';

/** How many visible runs are in each status; each a link that filters the run table. */
export function StatusCounts({ total, byStatus }: { total: number; byStatus: readonly { status: RunStatus; count: number }[] }) {
  const countOf = (status: RunStatus) => byStatus.find((s) => s.status === status)?.count ?? 0;
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
        {RUN_STATUSES.map((status) => (
          <li key={status}>
            <Link to={`/overview?status=${status}`} className={`count count-${status.toLowerCase()}`} data-testid={`count-${status}`}>
              <span className="count-value">{countOf(status).toLocaleString('en')}</span>
              <span className="count-label">{humanize(status)}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
