import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { Subject } from 'rxjs';
import type { StoredEvent } from '../event.js';
import type { EventsRepository } from '../events.repository.js';
import { type EventsAppendedPayload, toWire } from '../events.topics.js';
import { runEventStream } from './run-event-stream.js';

const event = (seq: number): StoredEvent => ({
  id: `e${seq}`,
  runId: 'run-1',
  seq,
  type: 'ai.run.log',
  source: 'worker://x/logs',
  sourceSeq: seq,
  time: new Date(0),
  receivedAt: new Date(0),
  data: { message: `line ${seq}` },
  traceparent: null,
  known: true,
  level: null,
  message: null,
  outcome: null,
});

/** An in-memory store and pub/sub: `store` without `publish` is a message lost while Redis was away. */
function fakes() {
  const stored: StoredEvent[] = [];
  let listener: ((payload: EventsAppendedPayload) => void) | undefined;
  const pubSub = {
    subscribe: async (_topic: string, onMessage: (payload: EventsAppendedPayload) => void) => {
      listener = onMessage;
      return 1;
    },
    unsubscribe: () => {
      listener = undefined;
    },
  } as unknown as RedisPubSub;
  const events = {
    positions: async () => ({ lastSeq: stored.length, appliedSeq: stored.length }),
    listAfter: async (_runId: string, afterSeq: number, limit: number) => stored.filter((e) => e.seq > afterSeq).slice(0, limit),
  } as unknown as EventsRepository;
  return {
    pubSub,
    events,
    store: (e: StoredEvent) => stored.push(e),
    publish: (e: StoredEvent) => listener?.({ runId: 'run-1', events: [toWire(e)] }),
  };
}

describe('runEventStream', () => {
  it('reads what was stored while pub/sub was away when told to resync, each event once', async () => {
    const { pubSub, events, store, publish } = fakes();
    const resyncs = new Subject<void>();
    const stream = runEventStream({ pubSub, events, resyncs }, { runId: 'run-1', afterSeq: 0, matches: () => true });
    store(event(1));
    const first = stream.next();
    expect((await first).value.seq).toBe(1);

    // Stored and published while the subscription was down: the message never arrives.
    store(event(2));
    store(event(3));
    const next = stream.next();
    resyncs.next();
    expect((await next).value.seq).toBe(2);
    expect((await stream.next()).value.seq).toBe(3);

    // Live again; a message for what the resync already read is skipped.
    store(event(4));
    publish(event(3));
    publish(event(4));
    expect((await stream.next()).value.seq).toBe(4);
    await stream.return?.();
  });
});
