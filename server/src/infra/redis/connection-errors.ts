import type { EventEmitter } from 'node:events';
import type { PinoLogger } from 'nestjs-pino';

// During a Redis outage every client fails each reconnect attempt: one line per message per window is enough.
const WINDOW_MS = 30_000;
const MAX_TRACKED = 100;

/**
 * Sends the 'error' events of a Redis client, a BullMQ queue or worker to the structured log, at
 * most one line per message and window, with the number folded into it. Without a listener,
 * ioredis and BullMQ print every failed reconnect with its stack to stderr.
 */
export function connectionErrorLog(connection: string, logger: PinoLogger): (error: unknown) => void {
  const seen = new Map<string, { at: number; folded: number }>();
  return (error) => {
    const message = error instanceof Error ? error.message : String(error);
    const now = Date.now();
    const last = seen.get(message);
    if (last && now - last.at < WINDOW_MS) {
      last.folded++;
      return;
    }
    if (seen.size >= MAX_TRACKED) seen.clear();
    seen.set(message, { at: now, folded: 0 });
    logger.warn({ connection, err: error, foldedSinceLast: last?.folded ?? 0 }, 'Redis connection error (retrying)');
  };
}

/** connectionErrorLog as the emitter's 'error' listener. */
export function logConnectionErrors(emitter: EventEmitter, connection: string, logger: PinoLogger): void {
  emitter.on('error', connectionErrorLog(connection, logger));
}
