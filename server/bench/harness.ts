import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the repository is, from server/dist-bench/bench/. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

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

export interface Orchestrator {
  url: string;
  child: ChildProcess;
  dataDir: string;
  stop(): Promise<void>;
}

/** The built server (`npm start` without the build), on a free port and a fresh data dir. */
export async function startOrchestrator(env: Record<string, string> = {}): Promise<Orchestrator> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'orch-bench-'));
  const child = spawn(process.execPath, [join(ROOT, 'server/dist/main.js')], {
    env: { PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'warn', PORT: String(port), DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error('the orchestrator exited during start-up');
    try {
      if ((await fetch(`${url}/api/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error('the orchestrator did not become ready');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    dataDir,
    stop: async () => {
      child.kill('SIGTERM');
      if (child.exitCode === null) await once(child, 'exit');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export interface Row {
  metric: string;
  value: number;
  unit: string;
  baseline?: number;
  /** How the value compares to its baseline, e.g. "0.42× baseline". */
  ratio?: string;
}

export function row(metric: string, value: number, unit: string, baseline?: number): Row {
  return { metric, value: round(value), unit, ...(baseline === undefined ? {} : { baseline: round(baseline), ratio: `${round(value / baseline)}×` }) };
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Prints the table and writes the JSON under bench/results/. */
export function report(name: string, rows: Row[], context: Record<string, unknown> = {}): void {
  console.table(rows.map((r) => ({ metric: r.metric, value: `${r.value} ${r.unit}`, baseline: r.baseline === undefined ? '' : `${r.baseline} ${r.unit}`, ratio: r.ratio ?? '' })));
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ name, at: new Date().toISOString(), node: process.version, context, rows }, null, 2));
  console.log(`results: ${file}`);
}
