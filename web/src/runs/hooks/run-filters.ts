import type { RunStatus, SortDirection } from '../../gql/graphql';
import { RUN_STATUSES } from '../run-status';

/** The run table's state, as kept in the URL so it can be bookmarked and shared. */
export interface RunFilters {
  statuses: RunStatus[];
  hypothesisId: string | null;
  order: SortDirection;
  /** Hidden runs instead of visible ones. */
  hidden: boolean;
  /** Cursor of the page shown (null: the first page). */
  after: string | null;
  pageSize: number;
}

export const PAGE_SIZES = [20, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 20;
const KEYS = ['status', 'hypothesis', 'order', 'hidden', 'after', 'size'] as const;

/** Reads the filters from URL search params; anything invalid falls back to its default. */
export function parseRunFilters(params: URLSearchParams): RunFilters {
  const statuses = (params.get('status') ?? '')
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s): s is RunStatus => (RUN_STATUSES as readonly string[]).includes(s));
  const size = Number(params.get('size'));
  return {
    statuses: [...new Set(statuses)],
    hypothesisId: params.get('hypothesis') || null,
    order: params.get('order')?.toLowerCase() === 'asc' ? 'ASC' : 'DESC',
    hidden: params.get('hidden') === '1',
    after: params.get('after') || null,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
  };
}

/** Writes the filters into (a copy of) the params, leaving defaults out and other params alone. */
export function writeRunFilters(filters: RunFilters, base = new URLSearchParams()): URLSearchParams {
  const params = new URLSearchParams(base);
  for (const key of KEYS) params.delete(key);
  if (filters.statuses.length > 0) params.set('status', filters.statuses.join(','));
  if (filters.hypothesisId) params.set('hypothesis', filters.hypothesisId);
  if (filters.order === 'ASC') params.set('order', 'asc');
  if (filters.hidden) params.set('hidden', '1');
  if (filters.after) params.set('after', filters.after);
  if (filters.pageSize !== DEFAULT_PAGE_SIZE) params.set('size', String(filters.pageSize));
  return params;
}

/** Any change but the page itself starts again from the first page. */
export function changeFilters(current: RunFilters, patch: Partial<RunFilters>): RunFilters {
  const onlyPaging = Object.keys(patch).every((key) => key === 'after');
  return { ...current, ...patch, after: onlyPaging ? (patch.after ?? null) : null };
}
