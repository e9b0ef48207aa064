import type Database from 'better-sqlite3';
import { placeholders } from './codec.js';

/** Column and encoding of each field an update may write. */
export type UpdateColumns<U> = { [K in keyof U]-?: [column: string, encode: (value: U[K]) => unknown] };

/**
 * Compare-and-set in one statement on a table keyed by `id` with a `status` column: writes the
 * defined fields of `update` only while the status is one of `from`. The row after, or undefined.
 */
export function updateWhereStatusIn<U extends object, Row>(
  db: Database.Database,
  table: string,
  columns: UpdateColumns<U>,
  id: string,
  from: readonly string[],
  update: U,
): Row | undefined {
  if (from.length === 0) return undefined;
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const [field, value] of Object.entries(update) as [keyof U, unknown][]) {
    if (value === undefined) continue;
    const [column, encode] = columns[field] as [string, (value: unknown) => unknown];
    sets.push(`${column} = ?`);
    params.push(encode(value));
  }
  return db
    .prepare<unknown[], Row>(`UPDATE ${table} SET ${sets.join(', ')} WHERE id = ? AND status IN (${placeholders(from.length)}) RETURNING *`)
    .get(...params, id, ...from);
}

/** Ids of the rows in the given statuses, oldest first (by created_at, then id). */
export function idsByStatus(db: Database.Database, table: string, statuses: readonly string[]): string[] {
  if (statuses.length === 0) return [];
  return db
    .prepare<unknown[], { id: string }>(`SELECT id FROM ${table} WHERE status IN (${placeholders(statuses.length)}) ORDER BY created_at, id`)
    .all(...statuses)
    .map((row) => row.id);
}
