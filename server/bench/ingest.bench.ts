import { Redis } from 'ioredis';
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { EmbeddedRedis } from '../src/infra/redis/embedded-redis.js';
import { childPid, measureFanout } from './fanout.bench.js';
import { freePort, isMain, newRun, now, percentile, post, report, row, type Row, sleep, startOrchestrator, tempDir } from './harness.js';

// `npm run bench:ingest` (and the ingest section of `npm run bench`): ingest throughput and
// ingest→subscriber latency, each beside a baseline measured in the same run on the same machine.

export interface IngestOptions {
  /** NDJSON requests of BATCH events for the batch throughput. */
  batches: number;
  /** Single-event POSTs for the single throughput. */
  singles: number;
  /** Seconds of the 500 events/s latency measurement. */
  latencySeconds: number;
}

const BATCH = 1000;
const IN_FLIGHT = 4;
const CLIENTS = 16;
const SUBSCRIBERS = 100;
const RATE = 500;
const BATCH_TARGET = 20_000;
const P99_TARGET_MS = 15;

let counter = 0;

/** One event of the realistic mix: ~70% logs, ~20% progress/node/metric, ~10% lifecycle. */
function mixedEvent(runId: string, i: number) {
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
    data: { run_id: runId, ...data },
    extensions: { seq: counter },
  };
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

/** Batches of 1,000 mixed events over the given runs, 4 requests in flight. */
export async function batchThroughput(url: string, runs: { runId: string; token: string }[], batches: number): Promise<number> {
  const bodies = Array.from({ length: batches }, (_, b) => {
    const run = runs[b % runs.length];
    return { run, body: Array.from({ length: BATCH }, (_, i) => JSON.stringify(mixedEvent(run.runId, b * BATCH + i))).join('\n') };
  });
  const started = now();
  await pool(bodies, IN_FLIGHT, ({ run, body }) => post(url, '/api/ingest/events', body, run.token));
  return (batches * BATCH) / ((now() - started) / 1000);
}

async function singleThroughput(url: string, runs: { runId: string; token: string }[], singles: number): Promise<number> {
  const events = Array.from({ length: singles }, (_, i) => ({ run: runs[i % runs.length], body: JSON.stringify(mixedEvent(runs[i % runs.length].runId, i)) }));
  const started = now();
  await pool(events, CLIENTS, ({ run, body }) => post(url, '/api/ingest/event', body, run.token));
  return singles / ((now() - started) / 1000);
}

/** The baseline for delivery: a raw Redis PUBLISH reaching SUBSCRIBERS subscribed connections, at the same rate. */
async function redisLatency(seconds: number): Promise<number[]> {
  const dir = tempDir('orch-bench-redis-');
  const redis = await EmbeddedRedis.start(dir.dir);
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
  const ticks = seconds * 50;
  const started = now();
  for (let tick = 0; tick < ticks; tick++) {
    for (let i = 0; i < RATE / 50; i++) void publisher.publish('bench', JSON.stringify({ sentAt: now(), message: `tick ${tick}.${i}` }));
    const wait = started + (tick + 1) * 20 - now();
    if (wait > 0) await sleep(wait);
  }
  await sleep(500);
  await Promise.all([...subscribers, publisher].map((c) => c.quit()));
  await redis.stop();
  dir.remove();
  return delays.sort((a, b) => a - b);
}

async function startBare(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = fork(join(import.meta.dirname, 'bare-ingest-server.js'), [String(port)], { stdio: 'inherit' });
  await once(child, 'message');
  return { url: `http://127.0.0.1:${port}`, child };
}

/** Ingest on one store (the embedded SQLite, or MongoDB when `env` names it). */
async function measureStore(
  store: string,
  env: Record<string, string>,
  options: IngestOptions,
  bare: { batch: number; single: number },
  redis: number[],
): Promise<{ rows: Row[]; context: Record<string, unknown> }> {
  const section = `ingest (${store})`;
  const orchestrator = await startOrchestrator({ env });
  try {
    const runs = await Promise.all(Array.from({ length: 20 }, () => newRun(orchestrator.url)));
    const batch = await batchThroughput(orchestrator.url, runs, options.batches);
    const single = await singleThroughput(orchestrator.url, runs, options.singles);
    const run = await newRun(orchestrator.url);
    const delivery = await measureFanout(
      orchestrator.url,
      run,
      {
        subscribers: SUBSCRIBERS,
        rate: RATE,
        batch: 10,
        seconds: options.latencySeconds,
        workers: 1,
        query: 'subscription($runId: ID!) { runEventAppended(runId: $runId) { seq data } }',
      },
      orchestrator.child.pid!,
      childPid(orchestrator.child.pid!),
    );
    const redisBaseline = (p: number) => ({ value: percentile(redis, p), name: 'raw Redis pub/sub' });
    const rows = [
      row(section, `batch ingest (NDJSON, ${BATCH}/request, 20 runs)`, batch, 'events/s', { value: bare.batch, name: 'bare node:http + JSON.parse' }, {
        target: `≥ ${BATCH_TARGET}: ${batch >= BATCH_TARGET ? 'met' : `missed by ${Math.round(100 - (100 * batch) / BATCH_TARGET)}%`}`,
      }),
      row(section, `single-event POST (${CLIENTS} clients)`, single, 'events/s', { value: bare.single, name: 'bare node:http + JSON.parse' }),
      row(section, `POST sent → ${SUBSCRIBERS} graphql-ws subscribers p50 @${RATE}/s`, delivery.p50, 'ms', redisBaseline(50)),
      row(section, `POST sent → ${SUBSCRIBERS} graphql-ws subscribers p99 @${RATE}/s`, delivery.p99, 'ms', redisBaseline(99), {
        target: `≤ ${P99_TARGET_MS} ms: ${delivery.p99 <= P99_TARGET_MS ? 'met' : `missed (${Math.round((10 * delivery.p99) / P99_TARGET_MS) / 10}× the target)`}`,
      }),
    ];
    if (!delivery.complete || delivery.outOfOrder > 0) {
      rows.push(row(section, 'lines missing / out of order', delivery.missing + delivery.outOfOrder, 'events', undefined, { note: 'subscribers must get every event once, in order' }));
    }
    return { rows, context: { batch, single, delivery } };
  } finally {
    await orchestrator.stop();
  }
}

export async function ingestBench(options: IngestOptions): Promise<{ rows: Row[]; context: Record<string, unknown> }> {
  const bareServer = await startBare();
  const bareRun = [{ runId: '00000000-0000-4000-8000-000000000000', token: '' }];
  const bare = { batch: await batchThroughput(bareServer.url, bareRun, options.batches), single: await singleThroughput(bareServer.url, bareRun, options.singles) };
  bareServer.child.kill();
  const redis = await redisLatency(options.latencySeconds);

  const sqlite = await measureStore('SQLite', {}, options, bare, redis);
  const rows = [...sqlite.rows];
  const context: Record<string, unknown> = { options, bare, sqlite: sqlite.context };
  if (process.env.MONGODB_URI) {
    const database = `orchestrator_bench_${process.pid}`;
    const mongo = await measureStore('MongoDB', { MONGODB_URI: process.env.MONGODB_URI, MONGODB_DB: database }, options, bare, redis);
    await dropMongoDatabase(process.env.MONGODB_URI, database);
    rows.push(...mongo.rows);
    context.mongo = mongo.context;
  } else {
    context.mongo = 'skipped: MONGODB_URI is not set';
  }
  return { rows, context };
}

async function dropMongoDatabase(uri: string, database: string): Promise<void> {
  const { default: mongoose } = await import('mongoose');
  const connection = await mongoose.createConnection(uri, { dbName: database }).asPromise();
  await connection.dropDatabase();
  await connection.close();
}

if (isMain(import.meta.url)) {
  const env = process.env;
  const options = { batches: Number(env.BENCH_BATCHES ?? 100), singles: Number(env.BENCH_SINGLES ?? 4000), latencySeconds: Number(env.BENCH_LATENCY_S ?? 10) };
  const { rows, context } = await ingestBench(options);
  report('ingest', rows, context);
}
