import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FanoutReport, FanoutStart } from './fanout-worker.js';
import { BUCKET_MS } from './fanout-worker.js';
import { cpuMeter, freePort, isMain, newRun, now, type Orchestrator, post, report, row, type Row, sleep, startOrchestrator } from './harness.js';

// Fan-out: N graphql-ws subscribers to one run's log lines while a worker posts R lines/s:
// delivered lines/s, delay (POST sent → line received) p50/p99, server CPU and RSS; beside the
// same load through a bare ws server (bare-fanout-server.ts). Subscribers live in separate
// processes (fanout-worker.ts) so that the measuring side competes as little as it can.

export interface FanoutOptions {
  subscribers: number;
  /** Lines per second, posted as NDJSON batches of `batch` lines. */
  rate: number;
  batch: number;
  seconds: number;
  /** Subscriber processes. */
  workers: number;
  /** The subscription document (variables: runId); default: the web app's live log viewer's. */
  query?: string;
}

export interface FanoutResult {
  deliveredPerS: number;
  offeredPerS: number;
  p50: number;
  p99: number;
  max: number;
  complete: boolean;
  missing: number;
  outOfOrder: number;
  serverCpuPercent: number;
  serverPeakRssMb: number;
  redisCpuPercent: number;
  clientCpuPercent: number;
  /** Share of the ingest requests answered by the end (a saturated server answers them late). */
  postsAnswered: number;
  ended: string[];
}

/** What the web app's live log viewer subscribes with (web/src/events/graphql/logs.graphql). */
export const LOG_SUBSCRIPTION = `subscription OnRunLogAppended($runId: ID!, $afterSeq: Int) {
  runLogAppended(runId: $runId, afterSeq: $afterSeq) { ...LogLineFields }
}
fragment LogLineFields on LogLine { id seq time level source message kv }`;

let counter = 0;
function logLine(runId: string, message: string, kv: Record<string, unknown>) {
  counter++;
  return JSON.stringify({
    specversion: '1.0',
    id: `fanout-${process.pid}-${counter}`,
    source: 'worker://bench/fanout',
    type: 'ai.run.log',
    subject: `run/${runId}`,
    time: new Date().toISOString(),
    data: { run_id: runId, level: 'info', message, kv },
    extensions: { seq: counter },
  });
}

class Workers {
  private constructor(readonly children: ChildProcess[]) {}

  static async start(url: string, options: FanoutOptions, runId: string): Promise<Workers> {
    const children = Array.from({ length: options.workers }, () =>
      fork(join(import.meta.dirname, 'fanout-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    );
    const workers = new Workers(children);
    const per = Math.ceil(options.subscribers / options.workers);
    await Promise.all(
      children.map(async (child, i) => {
        const count = Math.min(per, options.subscribers - i * per);
        const message: FanoutStart = { type: 'start', url, count, query: options.query ?? LOG_SUBSCRIPTION, variables: { runId } };
        child.send(message);
        const [answer] = (await once(child, 'message')) as [{ type: string; error?: string }];
        if (answer.type !== 'subscribed') throw new Error(`subscriber process: ${answer.error}`);
      }),
    );
    return workers;
  }

  ask<T>(type: string): Promise<T[]> {
    return Promise.all(
      this.children.map(async (child) => {
        child.send({ type });
        const [answer] = (await once(child, 'message')) as [T];
        return answer;
      }),
    );
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null) return;
        child.send({ type: 'stop' });
        const exited = once(child, 'exit');
        const timeout = sleep(3000).then(() => child.kill('SIGKILL'));
        await Promise.race([exited, timeout]);
      }),
    );
  }
}

/** Subscribes, warms up, posts `rate` lines/s for `seconds`, and collects what every subscriber saw. */
export async function measureFanout(url: string, run: { runId: string; token?: string }, options: FanoutOptions, serverPid: number, redisPid?: number): Promise<FanoutResult> {
  const began = now();
  const step = (what: string) => console.log(`  fan-out ${options.subscribers}@${options.rate}/s: ${what} at ${((now() - began) / 1000).toFixed(1)} s`);
  const workers = await Workers.start(url, options, run.runId);
  step('subscribed');
  try {
    // Every subscriber is live once each has seen a warm-up line.
    for (let i = 0; ; i++) {
      await post(url, '/api/ingest/events', logLine(run.runId, 'warm-up', { warm: true }), run.token);
      await sleep(250);
      const warm = (await workers.ask<{ warm: number }>('status')).reduce((sum, s) => sum + s.warm, 0);
      if (warm >= options.subscribers) break;
      if (i > 120) throw new Error(`only ${warm} of ${options.subscribers} subscribers became live`);
    }
    step('live');
    await sleep(500);
    const server = cpuMeter(serverPid);
    const redis = redisPid ? cpuMeter(redisPid) : null;
    const clients = workers.children.map((child) => cpuMeter(child.pid!));
    const ticksPerS = options.rate / options.batch;
    const ticks = Math.round(options.seconds * ticksPerS);
    const interval = 1000 / ticksPerS;
    // Posts are not awaited in turn: a server falling behind must not slow the load down.
    let answered = 0;
    let refused = 0;
    const posts: Promise<unknown>[] = [];
    const started = now();
    for (let tick = 0; tick < ticks; tick++) {
      const body = Array.from({ length: options.batch }, (_, i) => logLine(run.runId, `step ${tick}.${i}: loss=0.0421 lr=3e-4`, { sentAt: now(), tick })).join('\n');
      posts.push(post(url, '/api/ingest/events', body, run.token).then(() => answered++, () => refused++));
      const wait = started + (tick + 1) * interval - now();
      if (wait > 0) await sleep(wait);
    }
    const published = now();
    step('posted');
    const expected = ticks * options.batch;
    // Stragglers get as long again as the posting took (at least 5 s); what is not there by then is late.
    const deadline = published + Math.max(5000, options.seconds * 1000);
    while (now() < deadline) {
      const counts = await workers.ask<{ received: number }>('count');
      if (counts.reduce((sum, c) => sum + c.received, 0) >= expected * options.subscribers) break;
      await sleep(250);
    }
    step(`delivered; ${answered} of ${ticks} posts answered`);
    if (refused > 0) throw new Error(`${refused} of ${ticks} posts failed`);
    const serverUse = server.stop();
    const redisUse = redis?.stop();
    const clientUse = clients.map((c) => c.stop());
    const reports = await workers.ask<FanoutReport>('report');
    const received = reports.flatMap((r) => r.received);
    const total = received.reduce((a, b) => a + b, 0);
    const histogram = new Map<number, number>();
    for (const r of reports) for (const [bucket, count] of r.histogram) histogram.set(bucket, (histogram.get(bucket) ?? 0) + count);
    const lastAt = Math.max(...reports.map((r) => r.lastAt));
    return {
      deliveredPerS: total / ((Math.max(lastAt, published) - started) / 1000),
      offeredPerS: options.rate * options.subscribers,
      p50: quantile(histogram, total, 0.5),
      p99: quantile(histogram, total, 0.99),
      max: quantile(histogram, total, 1),
      complete: received.every((n) => n === expected),
      missing: expected * options.subscribers - total,
      outOfOrder: reports.reduce((sum, r) => sum + r.outOfOrder, 0),
      serverCpuPercent: serverUse.cpuPercent,
      serverPeakRssMb: serverUse.peakRssMb,
      redisCpuPercent: redisUse?.cpuPercent ?? 0,
      clientCpuPercent: clientUse.reduce((sum, c) => sum + c.cpuPercent, 0),
      postsAnswered: answered / ticks,
      ended: reports.flatMap((r) => r.ended).filter((reason) => reason !== 'closed'),
    };
  } finally {
    await workers.stop();
  }
}

function quantile(histogram: Map<number, number>, total: number, q: number): number {
  const target = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const bucket of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(bucket)!;
    if (seen >= target) return (bucket + 1) * BUCKET_MS;
  }
  return NaN;
}

/** The redis-server child of the orchestrator (the embedded one), if any. */
export function childPid(pid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return children[0];
  } catch {
    return undefined;
  }
}

export async function fanoutBench(options: FanoutOptions): Promise<{ rows: Row[]; context: Record<string, unknown> }> {
  // The floor: the same clients and load through a bare ws server.
  const port = await freePort();
  const bare = fork(join(import.meta.dirname, 'bare-fanout-server.js'), [String(port)], { stdio: 'inherit' });
  let baseline: FanoutResult;
  try {
    await once(bare, 'message');
    baseline = await measureFanout(`http://127.0.0.1:${port}`, { runId: '00000000-0000-4000-8000-000000000000' }, options, bare.pid!);
  } finally {
    bare.kill();
  }

  const orchestrator: Orchestrator = await startOrchestrator();
  let result: FanoutResult;
  try {
    const run = await newRun(orchestrator.url);
    result = await measureFanout(orchestrator.url, run, options, orchestrator.child.pid!, childPid(orchestrator.child.pid!));
  } finally {
    await orchestrator.stop();
  }

  const label = `${options.subscribers} subscribers @${options.rate} lines/s`;
  const section = 'fan-out';
  const bareName = 'bare ws server';
  const kept = result.missing === 0;
  const rows = [
    row(section, `delivered lines/s (${label}: ${result.offeredPerS}/s offered)`, result.deliveredPerS, 'lines/s', { value: baseline.deliveredPerS, name: bareName }, {
      note: kept
        ? 'kept up'
        : `${result.missing} deliveries still queued ${Math.max(5, options.seconds)} s after posting stopped; ${Math.round(100 * result.postsAnswered)}% of the ingest requests answered by then`,
    }),
    row(section, `delay p50 (${label})`, result.p50, 'ms', { value: baseline.p50, name: bareName }),
    row(section, `delay p99 (${label})`, result.p99, 'ms', { value: baseline.p99, name: bareName }),
    row(section, `server CPU (${label})`, result.serverCpuPercent, '% of a core', { value: baseline.serverCpuPercent, name: bareName }, {
      note: `subscriber processes ${Math.round(result.clientCpuPercent)}%, redis ${Math.round(result.redisCpuPercent)}%`,
    }),
    row(section, `server RSS peak (${label})`, result.serverPeakRssMb, 'MB', { value: baseline.serverPeakRssMb, name: bareName }),
    row(section, `lines out of order or twice (${label})`, result.outOfOrder, 'lines', undefined, {
      note: kept ? 'every subscriber got every line once, in order' : 'what arrived came once and in order',
    }),
  ];
  return { rows, context: { options, result, baseline } };
}

if (isMain(import.meta.url)) {
  const env = process.env;
  const { rows, context } = await fanoutBench({
    subscribers: Number(env.BENCH_FANOUT_SUBSCRIBERS ?? 1000),
    rate: Number(env.BENCH_FANOUT_RATE ?? 1000),
    batch: Number(env.BENCH_FANOUT_BATCH ?? 20),
    seconds: Number(env.BENCH_FANOUT_SECONDS ?? 10),
    workers: Number(env.BENCH_FANOUT_WORKERS ?? 2),
  });
  report('fanout', rows, context);
}
