import { createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { EmbeddedRedis } from '../src/infra/redis/embedded-redis.js';
import { freePort, newRun, percentile, report, row, type Row, startOrchestrator } from './harness.js';

// `npm run bench:ingest`: ingest throughput and ingest→subscriber latency, each beside a baseline
// measured in the same run on the same machine (see README, "Performance").
const BATCH = 1000;
const BATCHES = Number(process.env.BENCH_BATCHES ?? 100);
const IN_FLIGHT = 4;
const SINGLES = Number(process.env.BENCH_SINGLES ?? 4000);
const CLIENTS = 16;
const SUBSCRIBERS = 100;
const RATE = 500;
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_S ?? 10);

const now = () => performance.timeOrigin + performance.now();
let counter = 0;

/** One event of the realistic mix: ~70% logs, ~20% progress/node/metric, ~10% lifecycle. */
function mixedEvent(runId: string, i: number, extra: Record<string, unknown> = {}) {
  const roll = i % 10;
  const [type, data]: [string, Record<string, unknown>] =
    roll < 7
      ? ['ai.run.log', { level: i % 50 === 0 ? 'warning' : 'info', message: `step ${i}: loss=${(1 / (i + 1)).toFixed(4)} lr=3e-4`, kv: { step: i } }]
      : roll === 7
        ? ['ai.run.stage_progress', { stage: 'Stage_1', progress: (i % 1000) / 1000, iteration: i % 100, max_iterations: 100, good_nodes: i % 7, total_nodes: i % 9 }]
        : roll === 8
          ? i % 20 === 8
            ? ['ai.node.completed', { stage: 'Stage_1', node_id: `node-${i}`, is_buggy: i % 3 === 0, metric: 0.5, exec_time_s: 3 }]
            : ['ai.run.stage_metric', { stage: 'Stage_1', name: `metric_${i % 5}`, value: i / 100 }]
          : i % 20 === 9
            ? ['ai.run.heartbeat', { gpu_util: 80, mem_gb: 20, temp_c: 65 }]
            : ['ai.run.stage_started', { stage: 'Stage_1', desc: 'experiments' }];
  return {
    specversion: '1.0',
    id: `bench-${process.pid}-${++counter}`,
    source: 'worker://bench/emitter',
    type,
    subject: `run/${runId}`,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { run_id: runId, ...data, ...extra },
    extensions: { seq: counter },
  };
}

async function post(url: string, path: string, body: string, token?: string): Promise<number> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {}, body });
  await response.arrayBuffer();
  if (response.status >= 300 && response.status !== 207) throw new Error(`${path} answered ${response.status}`);
  return response.status;
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

async function batchThroughput(url: string, runs: { runId: string; token: string }[]): Promise<number> {
  const bodies = Array.from({ length: BATCHES }, (_, b) => {
    const run = runs[b % runs.length];
    return { run, body: Array.from({ length: BATCH }, (_, i) => JSON.stringify(mixedEvent(run.runId, b * BATCH + i))).join('\n') };
  });
  const started = now();
  await pool(bodies, IN_FLIGHT, ({ run, body }) => post(url, '/api/ingest/events', body, run.token));
  return (BATCHES * BATCH) / ((now() - started) / 1000);
}

async function singleThroughput(url: string, runs: { runId: string; token: string }[]): Promise<number> {
  const events = Array.from({ length: SINGLES }, (_, i) => ({ run: runs[i % runs.length], body: JSON.stringify(mixedEvent(runs[i % runs.length].runId, i)) }));
  const started = now();
  await pool(events, CLIENTS, ({ run, body }) => post(url, '/api/ingest/event', body, run.token));
  return SINGLES / ((now() - started) / 1000);
}

/** POST → delivered to every graphql-ws subscriber, at RATE events/s for LATENCY_SECONDS. */
async function subscriberLatency(url: string): Promise<number[]> {
  const run = await newRun(url);
  const delays: number[] = [];
  const clients = Array.from({ length: SUBSCRIBERS }, () =>
    createClient({ url: `${url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0 }),
  );
  let warm = 0;
  const stops = clients.map((client) =>
    client.subscribe<{ runEventAppended: { data: { kv?: { sentAt?: number } } } }>(
      { query: 'subscription($runId: ID!) { runEventAppended(runId: $runId) { seq data } }', variables: { runId: run.runId } },
      {
        next: (result) => {
          const sentAt = result.data?.runEventAppended.data.kv?.sentAt;
          if (sentAt === undefined) warm++;
          else delays.push(now() - sentAt);
        },
        error: (error) => console.error('subscriber error', error),
        complete: () => undefined,
      },
    ),
  );
  // Every subscriber is live once each has seen a warm-up event.
  for (let i = 0; warm < SUBSCRIBERS; i++) {
    await post(url, '/api/ingest/event', JSON.stringify(mixedEvent(run.runId, 1, { level: 'info', message: 'warm-up' })), run.token);
    await new Promise((r) => setTimeout(r, 200));
    if (i > 50) throw new Error(`only ${warm} subscribers became live`);
    warm = warm >= SUBSCRIBERS ? warm : 0;
  }
  // 500 events/s as batches of 10 every 20 ms, the way workers batch their logs.
  const perTick = RATE / 50;
  const ticks = LATENCY_SECONDS * 50;
  const started = now();
  for (let tick = 0; tick < ticks; tick++) {
    const body = Array.from({ length: perTick }, (_, i) =>
      JSON.stringify({ ...mixedEvent(run.runId, 0), type: 'ai.run.log', data: { run_id: run.runId, level: 'info', message: `tick ${tick}.${i}`, kv: { sentAt: now() } } }),
    ).join('\n');
    void post(url, '/api/ingest/events', body, run.token);
    const wait = started + (tick + 1) * 20 - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  const expected = ticks * perTick * SUBSCRIBERS;
  for (let i = 0; delays.length < expected && i < 200; i++) await new Promise((r) => setTimeout(r, 50));
  stops.forEach((stop) => stop());
  await Promise.all(clients.map((c) => c.dispose()));
  if (delays.length < expected) console.warn(`delivered ${delays.length} of ${expected}`);
  return delays.sort((a, b) => a - b);
}

/** The baseline for delivery: a raw Redis PUBLISH reaching SUBSCRIBERS subscribed connections. */
async function redisLatency(): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'orch-bench-redis-'));
  const redis = await EmbeddedRedis.start(dir);
  const delays: number[] = [];
  const subscribers = await Promise.all(
    Array.from({ length: SUBSCRIBERS }, async () => {
      const client = new Redis(redis.url);
      await client.subscribe('bench');
      client.on('message', (_channel, message: string) => delays.push(now() - (JSON.parse(message) as { sentAt: number }).sentAt));
      return client;
    }),
  );
  const publisher = new Redis(redis.url);
  const ticks = LATENCY_SECONDS * 50;
  const started = now();
  for (let tick = 0; tick < ticks; tick++) {
    for (let i = 0; i < RATE / 50; i++) void publisher.publish('bench', JSON.stringify({ sentAt: now(), message: `tick ${tick}.${i}` }));
    const wait = started + (tick + 1) * 20 - now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await new Promise((r) => setTimeout(r, 500));
  await Promise.all([...subscribers, publisher].map((c) => c.quit()));
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
  return delays.sort((a, b) => a - b);
}

async function startBare(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = fork(join(import.meta.dirname, 'bare-ingest-server.js'), [String(port)], { stdio: 'inherit' });
  await once(child, 'message');
  return { url: `http://127.0.0.1:${port}`, child };
}

async function main() {
  const rows: Row[] = [];
  const bare = await startBare();
  const bareBatch = await batchThroughput(bare.url, [{ runId: '00000000-0000-4000-8000-000000000000', token: '' }]);
  const bareSingle = await singleThroughput(bare.url, [{ runId: '00000000-0000-4000-8000-000000000000', token: '' }]);
  bare.child.kill();

  const orchestrator = await startOrchestrator();
  try {
    const runs = await Promise.all(Array.from({ length: 20 }, () => newRun(orchestrator.url)));
    const batch = await batchThroughput(orchestrator.url, runs);
    rows.push(row(`batch ingest (NDJSON, ${BATCH}/request, 20 runs, SQLite)`, batch, 'events/s', bareBatch));
    const single = await singleThroughput(orchestrator.url, runs);
    rows.push(row(`single-event POST (${CLIENTS} clients)`, single, 'events/s', bareSingle));
    const delays = await subscriberLatency(orchestrator.url);
    const redis = await redisLatency();
    rows.push(row(`POST → ${SUBSCRIBERS} graphql-ws subscribers p50 @${RATE}/s`, percentile(delays, 50), 'ms', percentile(redis, 50)));
    rows.push(row(`POST → ${SUBSCRIBERS} graphql-ws subscribers p99 @${RATE}/s`, percentile(delays, 99), 'ms', percentile(redis, 99)));
    report('ingest', rows, { batches: BATCHES, batchSize: BATCH, singles: SINGLES, subscribers: SUBSCRIBERS, rate: RATE, seconds: LATENCY_SECONDS, deliveries: delays.length });
  } finally {
    await orchestrator.stop();
  }
}

await main();
