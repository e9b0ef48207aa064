import type { RedisPubSub } from 'graphql-redis-subscriptions';
import type { Observable } from 'rxjs';
import type { StoredEvent } from '../event.js';
import type { EventsRepository } from '../events.repository.js';
import { type EventsAppendedPayload, EventsTopics, fromWire } from '../events.topics.js';
import { Inbox, OVERFLOW } from './inbox.js';

const STORE_PAGE = 500;

// Every subscriber of a run receives the same payload object from pub/sub: decode it once for all.
const decoded = new WeakMap<EventsAppendedPayload, StoredEvent[]>();
function eventsOf(payload: EventsAppendedPayload): StoredEvent[] {
  let events = decoded.get(payload);
  if (!events) {
    events = payload.events.map(fromWire);
    decoded.set(payload, events);
  }
  return events;
}
// Batches buffered for a slow subscriber before it switches to reading from the store.
const INBOX_CAPACITY = 2000;

export interface RunEventStreamOptions {
  runId: string;
  /** Replay what is stored after this seq first; absent: only what is stored from now on. */
  afterSeq?: number | null;
  /** Which events the subscriber wants (the position advances over the others too). */
  matches: (event: StoredEvent) => boolean;
}

/**
 * A run's events for one subscriber, exactly once and in seq order: replayed from the store after
 * `afterSeq`, then live from pub/sub. The live subscription starts before the replay, so nothing
 * falls between the two; an event seen twice is skipped by seq, and a gap (a lost or late message,
 * an overflow) is filled from the store.
 */
export function runEventStream(
  /** `resyncs` fires when pub/sub messages may have been lost (Redis reconnected): the stream re-reads the store. */
  deps: { pubSub: RedisPubSub; events: EventsRepository; resyncs: Observable<void> },
  options: RunEventStreamOptions,
): AsyncIterableIterator<StoredEvent> {
  const inbox = new Inbox<StoredEvent[]>(INBOX_CAPACITY);
  const { runId, matches } = options;

  const generator = (async function* (): AsyncGenerator<StoredEvent> {
    const subscription = await deps.pubSub.subscribe<EventsAppendedPayload>(EventsTopics.eventsAppended(runId), (payload) =>
      inbox.push(eventsOf(payload)),
    );
    const resyncs = deps.resyncs.subscribe(() => inbox.resync());
    try {
      let last = options.afterSeq ?? (await deps.events.positions(runId)).lastSeq;

      // Everything stored after `last` (up to `until`), oldest first.
      async function* fromStore(until = Number.POSITIVE_INFINITY): AsyncGenerator<StoredEvent> {
        for (;;) {
          const page = await deps.events.listAfter(runId, last, STORE_PAGE);
          for (const event of page) {
            if (event.seq > until) return;
            last = event.seq;
            if (matches(event)) yield event;
          }
          if (page.length < STORE_PAGE) return;
        }
      }

      if (options.afterSeq !== undefined && options.afterSeq !== null) yield* fromStore();
      for (;;) {
        const batch = await inbox.pull();
        if (batch === null) return;
        if (batch === OVERFLOW) {
          yield* fromStore();
          continue;
        }
        for (const event of batch) {
          if (event.seq <= last) continue;
          if (event.seq > last + 1) {
            yield* fromStore(event.seq - 1);
            if (event.seq <= last) continue;
          }
          last = event.seq;
          if (matches(event)) yield event;
        }
      }
    } finally {
      resyncs.unsubscribe();
      deps.pubSub.unsubscribe(subscription);
    }
  })();

  return {
    next: () => generator.next(),
    return: async () => {
      // Wakes a pending pull so the generator reaches its finally and unsubscribes.
      inbox.close();
      return generator.return(undefined);
    },
    throw: (error: unknown) => generator.throw(error),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
