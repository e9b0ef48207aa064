import { fanoutBench, type FanoutOptions } from './fanout.bench.js';
import { now, report, row, type Row, SERVER_ENTRY } from './harness.js';
import { ingestBench, type IngestOptions } from './ingest.bench.js';
import { memoryBench, type MemoryOptions } from './memory.bench.js';
import { queriesBench, type QueriesOptions } from './queries.bench.js';
import { startupBench } from './startup.bench.js';
import { webBench } from './web.bench.js';

// `npm run bench`: speed, cost and scale, each beside a baseline measured in the same run, as one
// table (and JSON under bench/results/). BENCH_SCALE=small for a quick pass; BENCH_ONLY=ingest,fanout
// to run some sections. See README, "Performance".

interface Scale {
  ingest: IngestOptions;
  queries: QueriesOptions;
  fanout: FanoutOptions[];
  memory: MemoryOptions;
  startup: { trials: number };
}

const SCALES: Record<'small' | 'full', Scale> = {
  small: {
    ingest: { batches: 20, singles: 1000, latencySeconds: 4 },
    queries: { sizes: { runs: 10_000, hypotheses: 100, events: 500_000, bigRuns: 5, eventsPerBigRun: 50_000 }, iterations: 10, pages: 40 },
    fanout: [{ subscribers: 200, rate: 200, batch: 20, seconds: 5, workers: 2 }],
    memory: { events: 100_000 },
    startup: { trials: 2 },
  },
  full: {
    ingest: { batches: 100, singles: 4000, latencySeconds: 10 },
    queries: { sizes: { runs: 100_000, hypotheses: 1_000, events: 5_000_000, bigRuns: 10, eventsPerBigRun: 200_000 }, iterations: 30, pages: 200 },
    fanout: [
      // The load the issue names, then one this machine can carry with the same thousand subscribers.
      { subscribers: 1000, rate: 1000, batch: 20, seconds: 10, workers: 2 },
      { subscribers: 1000, rate: 50, batch: 10, seconds: 10, workers: 2 },
    ],
    memory: { events: 1_000_000 },
    startup: { trials: 3 },
  },
};

const SECTIONS = ['ingest', 'queries', 'fanout', 'memory', 'startup', 'web'] as const;
type Section = (typeof SECTIONS)[number];

async function main() {
  const scaleName = process.env.BENCH_SCALE === 'small' ? 'small' : 'full';
  const scale = SCALES[scaleName];
  const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map((s) => s.trim())) : null;
  const unknown = [...(only ?? [])].filter((s) => !SECTIONS.includes(s as Section));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown section(s) ${unknown.join(', ')}; sections: ${SECTIONS.join(', ')}`);

  const runs: Record<Section, () => Promise<{ rows: Row[]; context: Record<string, unknown> }>> = {
    ingest: () => ingestBench(scale.ingest),
    queries: () => queriesBench(scale.queries, (message) => console.log(`  ${message}`)),
    fanout: async () => {
      const results = [];
      for (const options of scale.fanout) results.push(await fanoutBench(options));
      return { rows: results.flatMap((r) => r.rows), context: { runs: results.map((r) => r.context) } };
    },
    memory: () => memoryBench(scale.memory),
    startup: () => startupBench(scale.startup),
    web: () => webBench(),
  };

  const rows: Row[] = [];
  const context: Record<string, unknown> = { scale: scaleName, server: SERVER_ENTRY, cpus: (await import('node:os')).cpus().length };
  let failed = false;
  const started = now();
  for (const section of SECTIONS) {
    if (only && !only.has(section)) continue;
    const sectionStarted = now();
    console.log(`▶ ${section} (${scaleName})`);
    try {
      const result = await runs[section]();
      rows.push(...result.rows);
      context[section] = { ...result.context, seconds: Math.round((now() - sectionStarted) / 100) / 10 };
    } catch (error) {
      failed = true;
      console.error(`${section} failed:`, error);
      rows.push(row(section, 'FAILED', NaN, '', undefined, { note: String((error as Error).message ?? error).slice(0, 300) }));
      context[section] = { error: String(error) };
    }
    console.log(`  ${section}: ${((now() - sectionStarted) / 1000).toFixed(1)} s`);
  }
  const seconds = Math.round((now() - started) / 1000);
  context.seconds = seconds;
  console.log(`\nnpm run bench (${scaleName}) took ${seconds} s`);
  report('bench', rows, context);
  if (failed) process.exitCode = 1;
}

await main();
