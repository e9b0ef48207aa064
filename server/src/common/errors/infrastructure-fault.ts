/**
 * A failure of something the server depends on (the store, Redis, the disk) rather than of the
 * request: the client should try again later, so it gets 503 with Retry-After instead of a 500.
 */
export interface InfrastructureFault {
  reason: 'STORE_BUSY' | 'STORE_UNAVAILABLE' | 'REDIS_UNAVAILABLE' | 'DISK_UNAVAILABLE';
  message: string;
  retryAfterS: number;
}

// better-sqlite3 reports SQLite's extended result codes (SQLITE_BUSY_SNAPSHOT, SQLITE_IOERR_WRITE, ...).
const SQLITE_BUSY = /^SQLITE_(BUSY|LOCKED)/;
const SQLITE_UNAVAILABLE = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|PROTOCOL|NOLFS)/;
// Connection-level failures of the MongoDB driver (not duplicate keys or validation errors).
const MONGO_UNAVAILABLE = new Set(['MongoServerSelectionError', 'MongoNetworkError', 'MongoNetworkTimeoutError', 'MongoNotConnectedError', 'MongoTopologyClosedError', 'MongoPoolClearedError']);
const DISK_CODES = new Set(['ENOSPC', 'EROFS', 'EDQUOT', 'EIO']);
// ioredis gives up on a command after maxRetriesPerRequest reconnects, or when the connection is gone.
const REDIS_MESSAGES = /^(Connection is closed\.|Stream isn't writeable|Reached the max retries per request limit)/;

/** The infrastructure fault an error stands for, or null when it is something else. */
export function infrastructureFault(error: unknown): InfrastructureFault | null {
  // Read by shape, not `instanceof Error`: a native addon's errors may come from another realm (better-sqlite3 under jest).
  if (typeof error !== 'object' || error === null) return null;
  const { name, code, message } = error as { name?: unknown; code?: unknown; message?: unknown };
  if (typeof name !== 'string' || typeof message !== 'string') return null;
  if (name === 'SqliteError' && typeof code === 'string') {
    if (SQLITE_BUSY.test(code)) {
      return { reason: 'STORE_BUSY', message: 'The database is busy (another writer holds its lock); retry shortly', retryAfterS: 1 };
    }
    if (SQLITE_UNAVAILABLE.test(code)) {
      return { reason: 'STORE_UNAVAILABLE', message: `The database cannot be written (${code}); retry later`, retryAfterS: 5 };
    }
  }
  if (MONGO_UNAVAILABLE.has(name)) {
    return { reason: 'STORE_UNAVAILABLE', message: 'The database is unreachable; retry later', retryAfterS: 5 };
  }
  if (name === 'MaxRetriesPerRequestError' || REDIS_MESSAGES.test(message)) {
    return { reason: 'REDIS_UNAVAILABLE', message: 'Redis is unreachable; retry shortly', retryAfterS: 2 };
  }
  if (typeof code === 'string' && DISK_CODES.has(code)) {
    return { reason: 'DISK_UNAVAILABLE', message: `The server cannot write to its disk (${code}); retry later`, retryAfterS: 5 };
  }
  return null;
}
