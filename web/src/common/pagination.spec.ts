import { appendPage } from './pagination';

const page = (ids: string[], endCursor: string, hasNextPage = true) => ({
  totalCount: 9,
  pageInfo: { hasNextPage, endCursor },
  nodes: ids.map((id) => ({ id })),
});

describe('appendPage', () => {
  it('appends the next page with its cursor, skipping nodes already held', () => {
    const next = appendPage(page(['a', 'b'], 'c-b'), { ...page(['b', 'c'], 'c-c', false), totalCount: 10 }, (n) => n.id);
    expect(next.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c']);
    expect(next.pageInfo).toEqual({ hasNextPage: false, endCursor: 'c-c' });
    expect(next.totalCount).toBe(10);
  });
});
