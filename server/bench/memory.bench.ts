import { batchThroughput } from './ingest.bench.js';
import { isMain, newRun, procStats, report, row, type Row, sleep, startOrchestrator } from './harness.js';

// Memory: the server's RSS idle, after N events ingested, and after 2N (no unbounded growth: the
// second half must not grow it like the first). RSS is read after a settle period, once it stops moving.

export interface MemoryOptions {
  /** Events per half: 1,000,000 for the full run. */
  events: number;
}

/** RSS once it has not moved by more than 1% for 2 s (at most `maxMs`). */
async function settledRss(pid: number, maxMs = 15_000): Promise<number> {
  const started = Date.now();
  let samples: number[] = [];
  for (;;) {
    samples = [...samples, procStats(pid).rssMb].slice(-5);
    const steady = samples.length === 5 && Math.max(...samples) - Math.min(...samples) <= 0.01 * Math.max(...samples);
    if (steady || Date.now() - started > maxMs) return samples.at(-1)!;
    await sleep(500);
  }
}

export async function memoryBench(options: MemoryOptions): Promise<{ rows: Row[]; context: Record<string, unknown> }> {
  const orchestrator = await startOrchestrator();
  try {
    const pid = orchestrator.child.pid!;
    const runs = await Promise.all(Array.from({ length: 20 }, () => newRun(orchestrator.url)));
    await sleep(2000);
    const idle = await settledRss(pid);
    const batches = Math.ceil(options.events / 1000);
    const firstRate = await batchThroughput(orchestrator.url, runs, batches);
    const afterFirst = await settledRss(pid);
    const secondRate = await batchThroughput(orchestrator.url, runs, batches);
    const afterSecond = await settledRss(pid);
    const section = 'memory';
    const n = (count: number) => (count >= 1_000_000 ? `${count / 1_000_000}M` : `${count / 1000}k`);
    const growth = afterSecond / afterFirst;
    const rows = [
      row(section, 'server RSS idle (fresh data dir)', idle, 'MB'),
      row(section, `server RSS after ${n(batches * 1000)} events ingested (settled)`, afterFirst, 'MB', { value: idle, name: 'idle' }),
      row(section, `server RSS after ${n(2 * batches * 1000)} events ingested (settled)`, afterSecond, 'MB', { value: afterFirst, name: `after ${n(batches * 1000)}` }, {
        note: growth <= 1.1 ? 'no unbounded growth' : 'grows with the events ingested',
      }),
      row(section, `sustained batch ingest over ${n(2 * batches * 1000)} events`, (firstRate + secondRate) / 2, 'events/s'),
    ];
    return { rows, context: { idle, afterFirst, afterSecond, growth, firstRate, secondRate } };
  } finally {
    await orchestrator.stop();
  }
}

if (isMain(import.meta.url)) {
  const { rows, context } = await memoryBench({ events: Number(process.env.BENCH_MEMORY_EVENTS ?? 1_000_000) });
  report('memory', rows, context);
}
