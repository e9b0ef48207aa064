import { CommonErrorCode, DomainError, ErrorKind } from '../errors/domain-error.js';

/** Position in a list ordered by (createdAt, id): stable while rows are added. */
export interface Cursor {
  createdAt: Date;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.getTime(), cursor.id])).toString('base64url');
}

export function decodeCursor(value: string, field = 'after'): Cursor {
  try {
    const [ms, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (typeof ms === 'number' && Number.isFinite(ms) && typeof id === 'string' && id.length > 0) {
      return { createdAt: new Date(ms), id };
    }
  } catch {
    // fall through to the error below
  }
  throw new DomainError(ErrorKind.BadUserInput, CommonErrorCode.InvalidCursor, `${field}: not a cursor returned by this API`, {
    field,
    rule: 'cursor',
  });
}

/** Position in a list ordered by a number (an event's seq). */
export function encodeSeqCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

export function decodeSeqCursor(value: string, field = 'after'): number {
  const match = /^seq:(\d{1,15})$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (match) return Number(match[1]);
  throw new DomainError(ErrorKind.BadUserInput, CommonErrorCode.InvalidCursor, `${field}: not a cursor returned by this API`, {
    field,
    rule: 'cursor',
  });
}

export enum SortDirection {
  DESC = 'DESC',
  ASC = 'ASC',
}

export interface PageRequest {
  after?: Cursor;
  limit: number;
  direction: SortDirection;
}

export interface Page<T> {
  items: T[];
  hasNextPage: boolean;
}

/** Adapters fetch limit + 1 rows; this trims the extra row into `hasNextPage`. */
export function toPage<T>(rows: T[], limit: number): Page<T> {
  return { items: rows.slice(0, limit), hasNextPage: rows.length > limit };
}
