import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(__dirname, '../../..');
const WEB = join(REPO, 'web');
const SERVER = join(REPO, 'server');

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), 0);
}

/**
 * Builds the web app and the server when their sources are newer than their builds (CI has just
 * built both; a developer may not have), so the tests always drive the code in the tree.
 */
export function ensureBuilt(): void {
  const webSources = Math.max(newestMtime(join(WEB, 'src')), newestMtime(join(WEB, 'index.html')), newestMtime(join(WEB, 'vite.config.ts')));
  if (newestMtime(join(WEB, 'dist', 'index.html')) < webSources) {
    // NODE_ENV is "test" under jest: the build must be the production one `npm run build` makes.
    execFileSync(process.execPath, [join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
      cwd: WEB,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
  }
  if (newestMtime(join(SERVER, 'dist', 'main.js')) < newestMtime(join(SERVER, 'src'))) {
    try {
      execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: SERVER, stdio: 'pipe' });
    } catch (error) {
      // tsc still emits on type errors (the typecheck step reports them); these tests check behaviour.
      process.stderr.write(`warning: the server has type errors; testing what tsc emitted:\n${String((error as { stdout?: Buffer }).stdout ?? error)}\n`);
    }
  }
}

export interface Orchestrator {
  url: string;
  port: number;
  dataDir: string;
  output(): string;
  /** Stops the process (SIGTERM, as `npm start` would be stopped) and waits for it. */
  stop(): Promise<void>;
  /** Stops it and starts it again on the same port and data dir. */
  restart(): Promise<void>;
  /** POSTs a GraphQL operation; throws on errors. */
  graphql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  /** POSTs NDJSON events to the ingest endpoint. */
  ingest(events: object[], token?: string): Promise<void>;
}

/** The built server (`node server/dist/main.js`) on a free port with a temporary data dir. */
export async function startOrchestrator(env: Record<string, string> = {}): Promise<Orchestrator> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orch-web-e2e-'));
  let child: ChildProcess;
  let output = '';
  let port = 0;

  const launch = async () => {
    output = '';
    child = spawn(process.execPath, [join(SERVER, 'dist/main.js')], {
      cwd: REPO,
      // Info level: the "listening" line carries the URL.
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', LOG_LEVEL: 'info', PORT: String(port), DATA_DIR: dataDir, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const started = Date.now();
    while (Date.now() - started < 60_000) {
      const url = /"url":"(http:\/\/[^"]+)"/.exec(output)?.[1];
      if (url) return url;
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    throw new Error(`the server did not start:\n${output}`);
  };

  const url = await launch();
  port = Number(new URL(url).port);

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };

  const graphql = async (query: string, variables: Record<string, unknown> = {}, token?: string) => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: any; errors?: { message: string }[] };
    if (body.errors?.length) throw new Error(`GraphQL error: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data;
  };

  return {
    url,
    port,
    dataDir,
    output: () => output,
    stop: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    restart: async () => {
      await stop();
      await launch();
    },
    graphql,
    ingest: async (events, token) => {
      const response = await fetch(`${url}/api/ingest/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: events.map((e) => JSON.stringify(e)).join('\n'),
      });
      if (response.status >= 300) throw new Error(`ingest answered ${response.status}: ${await response.text()}`);
    },
  };
}

let counter = 0;

/** A worker's log line as a CloudEvent. */
export function logEvent(runId: string, message: string, level = 'info') {
  counter += 1;
  return {
    specversion: '1.0',
    id: `web-e2e-${Date.now()}-${counter}-${Math.random().toString(36).slice(2)}`,
    source: 'worker://web-e2e/logs',
    type: 'ai.run.log',
    subject: `run/${runId}`,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: { run_id: runId, level, message },
    extensions: { seq: counter },
  };
}
