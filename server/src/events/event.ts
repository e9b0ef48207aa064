/** Domain types of the events module. */

export enum LogLevel {
  DEBUG = 'debug',
  INFO = 'info',
  WARN = 'warn',
  ERROR = 'error',
}

/** A validated, normalised CloudEvent, ready to be stored. */
export interface IncomingEvent {
  /** The CloudEvent id: the event's identity. */
  id: string;
  runId: string;
  type: string;
  source: string;
  /** The emitter's own counter (the `seq` extension), per run and source. */
  sourceSeq: number | null;
  time: Date;
  data: Record<string, unknown>;
  traceparent: string | null;
  /** False for a type outside the catalogue: stored and shown, never applied. */
  known: boolean;
  /** ai.run.log only, normalised. */
  level: LogLevel | null;
  /** ai.run.log only: the line, for search. */
  message: string | null;
}

/** An event as stored: `seq` is its position in the run's feed (1, 2, 3... as they were stored). */
export interface StoredEvent extends IncomingEvent {
  seq: number;
  receivedAt: Date;
  /** What projecting it did when that is worth telling (a refused status change, an unknown type). */
  outcome: string | null;
}

export const UNKNOWN_TYPE_OUTCOME = 'unknown type: stored and shown, not applied';

/** Splits a batch into the events to store and the ids already stored (also the second of one id within the batch). */
export function splitDuplicates(events: readonly IncomingEvent[], storedIds: Set<string>): { fresh: IncomingEvent[]; duplicateIds: string[] } {
  const seen = new Set(storedIds);
  const fresh: IncomingEvent[] = [];
  const duplicateIds: string[] = [];
  for (const event of events) {
    if (seen.has(event.id)) duplicateIds.push(event.id);
    else {
      seen.add(event.id);
      fresh.push(event);
    }
  }
  return { fresh, duplicateIds };
}

/** The stored form of freshly appended events: positions from `firstSeq` on, in order. */
export function numbered(fresh: readonly IncomingEvent[], firstSeq: number, receivedAt: Date): StoredEvent[] {
  return fresh.map((event, i) => ({ ...event, seq: firstSeq + i, receivedAt, outcome: event.known ? null : UNKNOWN_TYPE_OUTCOME }));
}
