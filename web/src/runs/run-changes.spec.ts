import type { RunRowFieldsFragment } from '../gql/graphql';
import type { RunFilters } from './hooks/run-filters';
import { applyRunChange, type RunPage } from './run-changes';

const FILTERS: RunFilters = { statuses: [], hypothesisId: null, order: 'DESC', hidden: false, after: null, pageSize: 3 };

const run = (id: string, minute: number, over: Partial<RunRowFieldsFragment> = {}): RunRowFieldsFragment => ({
  id,
  status: 'QUEUED',
  hidden: false,
  createdAt: new Date(Date.UTC(2026, 0, 1, 9, minute)).toISOString(),
  updatedAt: new Date(Date.UTC(2026, 0, 1, 9, minute)).toISOString(),
  createdBy: 'ada',
  startedAt: null,
  completedAt: null,
  failedAt: null,
  errorType: null,
  hypothesis: { id: 'h-1', title: 'T' },
  currentStage: null,
  ...over,
});

const page = (nodes: RunRowFieldsFragment[], hasNextPage = false, totalCount = nodes.length): RunPage => ({
  totalCount,
  pageInfo: { hasNextPage, endCursor: nodes.at(-1)?.id ?? null },
  nodes,
});

const ids = (p: RunPage | null) => p?.nodes.map((n) => n.id);

describe('applyRunChange', () => {
  it('puts a new run at the top of the first page, newest first', () => {
    const next = applyRunChange(page([run('b', 2), run('a', 1)]), run('c', 3), FILTERS);
    expect(ids(next)).toEqual(['c', 'b', 'a']);
    expect(next?.totalCount).toBe(3);
  });

  it('keeps the rows and endCursor of a full page (the page grows rather than skip a row)', () => {
    const full = page([run('c', 3), run('b', 2), run('a', 1)], true, 10);
    const next = applyRunChange(full, run('d', 4), FILTERS);
    expect(ids(next)).toEqual(['d', 'c', 'b', 'a']);
    expect(next?.pageInfo).toEqual(full.pageInfo);
    expect(next?.totalCount).toBe(11);
  });

  it('only counts a new run that belongs on an earlier page', () => {
    const next = applyRunChange(page([run('b', 2), run('a', 1)], true, 5), run('c', 3), { ...FILTERS, after: 'x' });
    expect(ids(next)).toEqual(['b', 'a']);
    expect(next?.totalCount).toBe(6);
  });

  it('adds at the end when sorted oldest first and the page is the last one', () => {
    expect(ids(applyRunChange(page([run('a', 1)]), run('b', 2), { ...FILTERS, order: 'ASC' }))).toEqual(['a', 'b']);
    const notLast = applyRunChange(page([run('a', 1)], true, 4), run('b', 2), { ...FILTERS, order: 'ASC' });
    expect(ids(notLast)).toEqual(['a']);
    expect(notLast?.totalCount).toBe(5);
  });

  it('removes a run that no longer matches the status filter and adds one that now does', () => {
    const running = { ...FILTERS, statuses: ['RUNNING' as const] };
    const current = page([run('b', 2, { status: 'RUNNING' }), run('a', 1, { status: 'RUNNING' })]);
    const finished = applyRunChange(current, run('b', 2, { status: 'COMPLETED' }), running);
    expect(ids(finished)).toEqual(['a']);
    expect(finished?.totalCount).toBe(1);
    const started = applyRunChange(finished!, run('c', 1.5, { status: 'RUNNING' }), running);
    expect(ids(started)).toEqual(['c', 'a']);
  });

  it('ignores runs of other hypotheses, hidden runs, and changes that keep a row in place', () => {
    const filtered = { ...FILTERS, hypothesisId: 'h-1' };
    const current = page([run('a', 1)]);
    expect(applyRunChange(current, run('x', 2, { hypothesis: { id: 'h-2', title: 'U' } }), filtered)).toBeNull();
    expect(applyRunChange(current, run('y', 2, { hidden: true }), FILTERS)).toBeNull();
    expect(applyRunChange(current, run('a', 1, { status: 'RUNNING' }), FILTERS)).toBeNull();
  });

  it('removes a run once hidden', () => {
    expect(ids(applyRunChange(page([run('a', 1)]), run('a', 1, { hidden: true }), FILTERS))).toEqual([]);
  });
});
