import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where the repository is, from server/dist-bench/bench/. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes on one machine. */
export const now = () => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** True when this module is the script node was started with (not imported by bench.ts). */
export const isMain = (url: string) => process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === url;

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The built server; BENCH_SERVER_ENTRY points at another build (e.g. to compare before and after a change). */
export const SERVER_ENTRY = process.env.BENCH_SERVER_ENTRY ?? join(ROOT, 'server/dist/main.js');

export interface Orchestrator {
  url: string;
  child: ChildProcess;
  dataDir: string;
  /** Milliseconds from spawning the process to the first 200 from /api/ready. */
  readyAfterMs: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** Use this data dir (kept afterwards); default: a fresh temporary one, removed on stop. */
  dataDir?: string;
  /** Extra node flags for the server process, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** Leave the server's own output visible (default: warnings and errors only). */
  logLevel?: string;
  /** Start it as `npm start` does: no environment but PORT and DATA_DIR (and PATH), its output not shown. */
  asIs?: boolean;
}

/**
 * The built server (`npm start` without the build), on a free port. The queue processor is off
 * (PROCESS_JOBS=false) unless asked for: benchmark runs must not start demo workers that post
 * events of their own and take CPU from what is measured.
 */
export async function startOrchestrator(options: StartOptions = {}): Promise<Orchestrator> {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'orch-bench-'));
  const started = now();
  const env = options.asIs
    ? { PATH: process.env.PATH, PORT: String(port), DATA_DIR: dataDir, ...options.env }
    : { PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: options.logLevel ?? 'warn', PORT: String(port), DATA_DIR: dataDir, PROCESS_JOBS: 'false', ...options.env };
  // BENCH_CPU_PROF=<dir>: every server started writes a V8 CPU profile there when it stops.
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  // BENCH_SERVER_NODE_ARGS="--max-semi-space-size=64": node flags for every server started (tuning experiments).
  const tuning = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...profile, ...tuning, ...(options.nodeArgs ?? []), SERVER_ENTRY], { env, stdio: ['ignore', options.asIs ? 'ignore' : 'inherit', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  const readyAfterMs = await waitReady(url, child, started);
  return {
    url,
    child,
    dataDir,
    readyAfterMs,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls /api/ready every 10 ms; the time is measured from `since`. */
export async function waitReady(url: string, child: ChildProcess, since: number, timeoutMs = 120_000): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error('the orchestrator exited during start-up');
    try {
      const response = await fetch(`${url}/api/ready`);
      await response.arrayBuffer();
      if (response.ok) return now() - since;
    } catch {
      // not listening yet
    }
    if (now() - since > timeoutMs) throw new Error('the orchestrator did not become ready');
    await sleep(10);
  }
}

export async function graphql<T = any>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** A new run and a run token for it. */
export async function newRun(url: string): Promise<{ runId: string; token: string }> {
  const { createHypothesis } = await graphql(url, 'mutation { createHypothesis(input: { title: "Benchmark", idea: "A run that only exists to be measured." }) { run { id } } }');
  const runId = createHypothesis.run.id as string;
  const { issueRunToken } = await graphql(url, 'mutation($id: ID!) { issueRunToken(runId: $id) { token } }', { id: runId });
  return { runId, token: issueRunToken.token as string };
}

export async function post(url: string, path: string, body: string, token?: string): Promise<number> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {}, body });
  await response.arrayBuffer();
  if (response.status >= 300 && response.status !== 207) throw new Error(`${path} answered ${response.status}`);
  return response.status;
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const CLOCK_TICKS = 100; // USER_HZ: 100 on Linux on every architecture node runs on

/** CPU seconds (user + system) and resident memory of a process, from /proc. */
export function procStats(pid: number): { cpuS: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuS = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuS, rssMb: rss ? Number(rss[1]) / 1024 : NaN };
}

/** CPU use of a process over a window, in percent of one core, and its peak RSS sampled every 250 ms. */
export function cpuMeter(pid: number): { stop(): { cpuPercent: number; peakRssMb: number; lastRssMb: number } } {
  const start = procStats(pid);
  const startedAt = now();
  let peak = start.rssMb;
  let last = start.rssMb;
  const timer = setInterval(() => {
    try {
      last = procStats(pid).rssMb;
      peak = Math.max(peak, last);
    } catch {
      // the process is gone
    }
  }, 250);
  return {
    stop: () => {
      clearInterval(timer);
      const end = procStats(pid);
      return { cpuPercent: (100 * (end.cpuS - start.cpuS)) / ((now() - startedAt) / 1000), peakRssMb: Math.max(peak, end.rssMb), lastRssMb: end.rssMb };
    },
  };
}

export interface Row {
  /** Which part of the benchmark: ingest, queries, fan-out, memory, start-up, web. */
  section: string;
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  /** What the baseline is, e.g. "bare node:http". */
  baselineName?: string;
  /** value / baseline, e.g. "0.42×". */
  ratio?: string;
  /** A target the issue sets, and whether it is met. */
  target?: string;
  note?: string;
}

export function row(
  section: string,
  metric: string,
  value: number,
  unit: string,
  baseline?: { value: number; name: string },
  extra: Pick<Row, 'target' | 'note'> = {},
): Row {
  return {
    section,
    metric,
    value: round(value),
    unit,
    ...(baseline === undefined ? {} : { baseline: round(baseline.value), baselineName: baseline.name, ratio: `${round(value / baseline.value)}×` }),
    ...extra,
  };
}

const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100);

/** Prints one table and writes the JSON under bench/results/. */
export function report(name: string, rows: Row[], context: Record<string, unknown> = {}): string {
  console.table(
    rows.map((r) => ({
      section: r.section,
      metric: r.metric,
      value: `${r.value} ${r.unit}`,
      baseline: r.baseline === undefined ? '' : `${r.baseline} ${r.unit} (${r.baselineName})`,
      ratio: r.ratio ?? '',
      target: r.target ?? '',
    })),
  );
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ name, at: new Date().toISOString(), node: process.version, context, rows }, null, 2));
  console.log(`results: ${file}`);
  return file;
}

/** A temporary directory removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
