import type { SortDirection } from '../common/pagination/cursor.js';
import type { IncomingEvent, LogLevel, StoredEvent } from './event.js';

export const EVENTS_REPOSITORY = Symbol('EVENTS_REPOSITORY');

export interface EventQuery {
  /** Only these types. */
  types?: readonly string[];
  /** Only log lines of these levels. */
  levels?: readonly LogLevel[];
  /** Log lines whose message contains this text (case-insensitive). */
  search?: string;
  /** Exclusive bounds on seq, applied before the limit. */
  afterSeq?: number;
  beforeSeq?: number;
  direction: SortDirection;
  limit: number;
}

export interface EventPositions {
  /** The last position handed out. */
  lastSeq: number;
  /** Events up to here have been projected into the run's state. */
  appliedSeq: number;
}

/** Port for the event store: every event once, numbered 1, 2, 3... per run in the order it was stored. */
export interface EventsRepository {
  /**
   * Stores the events of one run that are not stored yet (by id, also within the batch), each
   * with the run's next position, atomically; reports the ids that were already there.
   */
  append(runId: string, events: readonly IncomingEvent[], receivedAt: Date): Promise<{ stored: StoredEvent[]; duplicateIds: string[] }>;
  positions(runId: string): Promise<EventPositions>;
  /** Oldest first, seq > afterSeq. */
  listAfter(runId: string, afterSeq: number, limit: number): Promise<StoredEvent[]>;
  /** Compare-and-set of the projected position: false when another projector moved it first. */
  markApplied(runId: string, expectedAppliedSeq: number, appliedSeq: number): Promise<boolean>;
  runsWithPendingProjection(): Promise<string[]>;
  /** Records what projection did with an event, unless something is recorded already. */
  setOutcomes(runId: string, outcomes: readonly { seq: number; outcome: string }[]): Promise<void>;
  /** The filter applies before the limit; one extra row tells whether there is more. */
  list(runId: string, query: EventQuery): Promise<{ items: StoredEvent[]; hasMore: boolean }>;
  count(runId: string, query: Omit<EventQuery, 'limit' | 'direction' | 'afterSeq' | 'beforeSeq'>): Promise<number>;
}
