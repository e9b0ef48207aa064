import { WsSubscriber } from './ws-subscriber.js';

// One process of fan-out subscribers (forked by fanout.bench.ts). Messages from the parent:
// start → opens `count` subscriptions and answers `subscribed`; `status` → how many subscribers
// have seen a warm-up line; `report` → counts and the delay histogram of measured lines; `stop`.

export interface FanoutStart {
  type: 'start';
  url: string;
  count: number;
  query: string;
  variables: Record<string, unknown>;
}

export interface FanoutReport {
  type: 'report';
  /** Measured lines received, per subscriber. */
  received: number[];
  /** Lines that arrived with a seq not above the previous one (duplicates or out of order). */
  outOfOrder: number;
  /** Histogram of delays in 0.1 ms buckets; the last bucket holds everything above. */
  histogram: [bucket: number, count: number][];
  firstAt: number;
  lastAt: number;
  ended: string[];
}

export const BUCKET_MS = 0.1;
const BUCKETS = 200_000; // 20 s

const subscribers: WsSubscriber[] = [];
const received: number[] = [];
const warm: boolean[] = [];
const lastSeq: number[] = [];
const histogram = new Uint32Array(BUCKETS + 1);
const ended: string[] = [];
let outOfOrder = 0;
let firstAt = Infinity;
let lastAt = 0;

async function start(message: FanoutStart): Promise<void> {
  for (let i = 0; i < message.count; i++) {
    received.push(0);
    warm.push(false);
    lastSeq.push(0);
    const subscriber = new WsSubscriber(message.url, {
      next: ({ seq, sentAt, at }) => {
        if (seq <= lastSeq[i]) outOfOrder++;
        lastSeq[i] = seq;
        if (!(sentAt > 0)) {
          warm[i] = true;
          return;
        }
        received[i]++;
        if (at < firstAt) firstAt = at;
        if (at > lastAt) lastAt = at;
        histogram[Math.min(BUCKETS, Math.max(0, Math.floor((at - sentAt) / BUCKET_MS)))]++;
      },
      ended: (reason) => {
        if (ended.length < 20) ended.push(reason);
      },
    });
    subscribers.push(subscriber);
  }
  // Connect in small groups: a thousand handshakes at once only measure the accept queue.
  for (let i = 0; i < subscribers.length; i += 25) {
    await Promise.all(
      subscribers.slice(i, i + 25).map(async (subscriber) => {
        await subscriber.connect();
        subscriber.subscribe('1', message.query, message.variables);
      }),
    );
  }
}

process.on('message', (message: { type: string }) => {
  switch (message.type) {
    case 'start':
      start(message as unknown as FanoutStart).then(
        () => process.send!({ type: 'subscribed' }),
        (error: unknown) => process.send!({ type: 'failed', error: String(error) }),
      );
      return;
    case 'status':
      process.send!({ type: 'status', warm: warm.filter(Boolean).length, ended });
      return;
    case 'count':
      process.send!({ type: 'count', received: received.reduce((a, b) => a + b, 0) });
      return;
    case 'report': {
      const sparse: [number, number][] = [];
      histogram.forEach((count, bucket) => count > 0 && sparse.push([bucket, count]));
      const report: FanoutReport = { type: 'report', received, outOfOrder, histogram: sparse, firstAt, lastAt, ended };
      process.send!(report);
      return;
    }
    case 'stop':
      for (const subscriber of subscribers) subscriber.close();
      process.disconnect();
      setTimeout(() => process.exit(0), 100).unref();
      return;
  }
});
