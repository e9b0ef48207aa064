import { useQuery } from '@apollo/client/react';
import { Link, useLocation, useNavigate } from 'react-router';
import { RelativeTime } from '../../common/components/RelativeTime';
import { Section } from '../../common/components/Section';
import { StatusBadge } from '../../common/components/StatusBadge';
import { Empty, ErrorState, Loading } from '../../common/components/States';
import { useNow } from '../../common/hooks/useNow';
import { formatDuration, formatPercent, humanize, stageLabel } from '../../common/format';
import { HypothesisOptionsDocument, RunTableDocument, type RunRowFieldsFragment } from '../../gql/graphql';
import { PAGE_SIZES, writeRunFilters } from '../hooks/run-filters';
import { useRunFilters } from '../hooks/useRunFilters';
import { useRunsChanged } from '../hooks/useRunsChanged';
import { applyRunChange } from '../run-changes';
import { RUN_STATUSES } from '../run-status';

function duration(run: RunRowFieldsFragment, now: number): number | null {
  if (!run.startedAt) return null;
  const end = run.completedAt ?? run.failedAt;
  return ((end ? new Date(end).getTime() : now) - new Date(run.startedAt).getTime()) / 1000;
}

/** Runs with status and hypothesis filters, order and paging, all kept in the URL; live. */
export function RunTable({ title = 'Runs' }: { title?: string }) {
  const [filters, setFilters] = useRunFilters();
  const navigate = useNavigate();
  const location = useLocation();
  const now = useNow();
  const previousPages = (location.state as { previousPages?: (string | null)[] } | null)?.previousPages ?? [];
  const variables = {
    first: filters.pageSize,
    after: filters.after,
    order: filters.order,
    filter: {
      status: filters.statuses.length > 0 ? filters.statuses : null,
      hypothesisId: filters.hypothesisId,
      hidden: filters.hidden,
    },
  };
  const { data, previousData, error, loading, refetch, updateQuery } = useQuery(RunTableDocument, { variables });
  const hypotheses = useQuery(HypothesisOptionsDocument);
  const runs = (data ?? previousData)?.runs;

  useRunsChanged(
    (run) => {
      updateQuery((_, { previousData, complete }) => {
        if (!complete) return undefined;
        const next = applyRunChange(previousData.runs, run, filters);
        return next ? { ...previousData, runs: { ...previousData.runs, ...next } } : undefined;
      });
    },
    { onResume: () => void refetch().catch(() => undefined) },
  );

  const goToPage = (after: string | null, stack: (string | null)[]) => {
    const search = writeRunFilters({ ...filters, after }, new URLSearchParams(location.search)).toString();
    void navigate({ search: search ? `?${search}` : '' }, { state: { previousPages: stack } });
  };

  const toggleStatus = (status: (typeof RUN_STATUSES)[number]) =>
    setFilters({ statuses: filters.statuses.includes(status) ? filters.statuses.filter((s) => s !== status) : [...filters.statuses, status] });

  const hypothesisOptions = hypotheses.data?.hypotheses.nodes ?? [];
  const selectedMissing = filters.hypothesisId && !hypothesisOptions.some((h) => h.id === filters.hypothesisId);

  return (
    <Section title={`${title}${runs ? ` (${runs.totalCount.toLocaleString('en')})` : ''}`} id="runs">
      <div className="filters" role="group" aria-label="Run filters">
        <fieldset className="chips">
          <legend>Status</legend>
          {RUN_STATUSES.map((status) => (
            <button key={status} type="button" className="chip" aria-pressed={filters.statuses.includes(status)} onClick={() => toggleStatus(status)}>
              {humanize(status)}
            </button>
          ))}
          {filters.statuses.length > 0 && (
            <button type="button" className="chip chip-clear" onClick={() => setFilters({ statuses: [] })}>
              Clear
            </button>
          )}
        </fieldset>
        <div className="filter-row">
          <label className="inline-label">
            Hypothesis{' '}
            <select value={filters.hypothesisId ?? ''} onChange={(e) => setFilters({ hypothesisId: e.target.value || null })}>
              <option value="">all</option>
              {selectedMissing && <option value={filters.hypothesisId!}>{filters.hypothesisId}</option>}
              {hypothesisOptions.map((h) => (
                <option key={h.id} value={h.id}>
                  {h.title}
                </option>
              ))}
            </select>
          </label>
          <label className="inline-label">
            <input type="checkbox" checked={filters.hidden} onChange={(e) => setFilters({ hidden: e.target.checked })} /> hidden runs
          </label>
          <label className="inline-label">
            Per page{' '}
            <select value={filters.pageSize} onChange={(e) => setFilters({ pageSize: Number(e.target.value) })}>
              {PAGE_SIZES.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      {error && !runs ? (
        <ErrorState what="the runs" error={error} onRetry={() => void refetch()} />
      ) : !runs ? (
        <Loading what="runs" />
      ) : (
        <>
          {error && <ErrorState what="the latest runs" error={error} onRetry={() => void refetch()} />}
          {runs.nodes.length === 0 ? (
            <Empty>
              No runs match these filters.{' '}
              {(filters.statuses.length > 0 || filters.hypothesisId || filters.hidden) && (
                <button
                  type="button"
                  className="button button-small button-ghost"
                  onClick={() => setFilters({ statuses: [], hypothesisId: null, hidden: false })}
                >
                  Clear filters
                </button>
              )}
            </Empty>
          ) : (
            <div className="table-wrap">
              <table className={loading ? 'table-loading' : undefined} aria-busy={loading}>
                <thead>
                  <tr>
                    <th scope="col">Hypothesis</th>
                    <th scope="col">Status</th>
                    <th scope="col">Stage</th>
                    <th scope="col" aria-sort={filters.order === 'ASC' ? 'ascending' : 'descending'}>
                      <button type="button" className="sort" onClick={() => setFilters({ order: filters.order === 'ASC' ? 'DESC' : 'ASC' })}>
                        Created {filters.order === 'ASC' ? '↑' : '↓'}
                        <span className="visually-hidden">, sorted {filters.order === 'ASC' ? 'oldest' : 'newest'} first; activate to reverse</span>
                      </button>
                    </th>
                    <th scope="col">Duration</th>
                    <th scope="col">By</th>
                  </tr>
                </thead>
                <tbody>
                  {runs.nodes.map((run) => (
                    <tr key={run.id} data-run-id={run.id}>
                      <td>
                        <Link to={`/runs/${run.id}`}>{run.hypothesis.title}</Link>
                      </td>
                      <td>
                        <StatusBadge status={run.status} />
                        {run.errorType && <span className="muted"> {run.errorType}</span>}
                      </td>
                      <td>{run.currentStage ? `${stageLabel(run.currentStage.name, { short: true })} · ${formatPercent(run.currentStage.progress)}` : '—'}</td>
                      <td>
                        <RelativeTime value={run.createdAt} />
                      </td>
                      <td>{formatDuration(duration(run, now))}</td>
                      <td>{run.createdBy}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <nav className="pager" aria-label="Pages">
            <button type="button" className="button button-ghost" disabled={!filters.after} onClick={() => goToPage(null, [])}>
              First page
            </button>
            <button
              type="button"
              className="button button-ghost"
              disabled={!filters.after || previousPages.length === 0}
              onClick={() => goToPage(previousPages.at(-1) ?? null, previousPages.slice(0, -1))}
            >
              ← Previous
            </button>
            <button
              type="button"
              className="button button-ghost"
              disabled={!runs.pageInfo.hasNextPage}
              onClick={() => goToPage(runs.pageInfo.endCursor, [...previousPages, filters.after])}
            >
              Next →
            </button>
          </nav>
        </>
      )}
    </Section>
  );
}
