import type { QueryFilter, SortOrder } from 'mongoose';
import { PageRequest, SortDirection } from '../../../common/pagination/cursor.js';

/** Keyset paging over (createdAt, _id): the filter after the cursor and the matching sort. */
export function keyset(page: PageRequest): { filter: QueryFilter<Record<string, unknown>>; sort: Record<string, SortOrder> } {
  const order: SortOrder = page.direction === SortDirection.DESC ? -1 : 1;
  const sort = { createdAt: order, _id: order };
  if (!page.after) return { filter: {}, sort };
  const op = order === -1 ? '$lt' : '$gt';
  const { createdAt, id } = page.after;
  return { filter: { $or: [{ createdAt: { [op]: createdAt } }, { createdAt, _id: { [op]: id } }] }, sort };
}

/** Mongo's duplicate-key error, raised by a unique index. */
export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number } | null)?.code === 11000;
}
