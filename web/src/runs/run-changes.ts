import type { RunRowFieldsFragment } from '../gql/graphql';
import type { RunFilters } from './hooks/run-filters';

export interface RunPage {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: RunRowFieldsFragment[];
}

export function matchesFilters(run: RunRowFieldsFragment, filters: Pick<RunFilters, 'statuses' | 'hypothesisId' | 'hidden'>): boolean {
  return (
    (filters.statuses.length === 0 || filters.statuses.includes(run.status)) &&
    (!filters.hypothesisId || run.hypothesis.id === filters.hypothesisId) &&
    run.hidden === filters.hidden
  );
}

const before = (a: RunRowFieldsFragment, b: RunRowFieldsFragment, order: RunFilters['order']) => {
  const diff = a.createdAt === b.createdAt ? a.id.localeCompare(b.id) : a.createdAt < b.createdAt ? -1 : 1;
  return order === 'ASC' ? diff < 0 : diff > 0;
};

/**
 * A page of the run table after `run` was created or changed (from runsChanged): a run that stops
 * matching the filters leaves, one that starts matching joins in creation order when it belongs
 * on this page, and the total follows. Returns null when the page does not change.
 */
export function applyRunChange(page: RunPage, run: RunRowFieldsFragment, filters: RunFilters): RunPage | null {
  const index = page.nodes.findIndex((n) => n.id === run.id);
  const matches = matchesFilters(run, filters);
  if (index !== -1) {
    if (matches) return null; // the row itself is updated through the normalised cache
    return { ...page, totalCount: Math.max(0, page.totalCount - 1), nodes: page.nodes.filter((n) => n.id !== run.id) };
  }
  if (!matches) return null;
  const at = page.nodes.findIndex((n) => before(run, n, filters.order));
  const position = at === -1 ? page.nodes.length : at;
  const firstPage = filters.after === null;
  const totalCount = page.totalCount + 1;
  // It belongs on an earlier page, or on a later one: only the total changes.
  if ((position === 0 && !firstPage && page.nodes.length > 0) || (position === page.nodes.length && page.pageInfo.hasNextPage)) {
    return { ...page, totalCount };
  }
  // The page may grow past its size: trimming would move endCursor off the rows shown.
  return { ...page, totalCount, nodes: [...page.nodes.slice(0, position), run, ...page.nodes.slice(position)] };
}
