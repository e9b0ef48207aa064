import { PageRequest, SortDirection } from '../../../common/pagination/cursor.js';

/**
 * Keyset paging over (created_at, id): the WHERE part after the cursor, the ORDER BY and the
 * LIMIT (one extra row tells whether a next page exists).
 */
export function keyset(page: PageRequest): { where: string | null; params: unknown[]; orderLimit: string } {
  const desc = page.direction === SortDirection.DESC;
  const orderLimit = `ORDER BY created_at ${desc ? 'DESC' : 'ASC'}, id ${desc ? 'DESC' : 'ASC'} LIMIT ${page.limit + 1}`;
  if (!page.after) return { where: null, params: [], orderLimit };
  return {
    where: `(created_at, id) ${desc ? '<' : '>'} (?, ?)`,
    params: [page.after.createdAt.getTime(), page.after.id],
    orderLimit,
  };
}

/** Joins optional conditions into a WHERE clause. */
export function whereClause(conditions: (string | null)[]): string {
  const present = conditions.filter((c): c is string => c !== null);
  return present.length > 0 ? `WHERE ${present.join(' AND ')}` : '';
}
