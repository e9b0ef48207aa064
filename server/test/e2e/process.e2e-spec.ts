import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RUN_STATE } from '../support/ingest.js';
import { ndjson, retarget, simulatedRun } from '../support/simulated-run.js';

const serverDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
const TOKEN = 'ops-secret-token-0123456789abcdef';

/** The built entry point, as `npm start` runs it, with only the given variables. */
function startMain(vars: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['dist/main.js'], { cwd: serverDir, env: { PATH: process.env.PATH, ...vars } });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitForListening(output: () => string): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const url = /"url":"(http:\/\/[^"]+)"/.exec(output())?.[1];
    if (url) return url;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server did not start:\n${output()}`);
}

describe('server entry point (node server/dist/main.js)', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'orch-main-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a non-loopback address without tokens, listing every problem, and exits 1', async () => {
    const { child, output } = startMain({ HOST: '0.0.0.0', PORT: 'x', DATA_DIR: dataDir });
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(output()).toContain('Invalid configuration:');
    expect(output()).toMatch(/PORT: must be an integer number/);
    expect(output()).toMatch(/HOST: 0\.0\.0\.0 is not a loopback address; set API_TOKENS/);
  });

  it('serves with no configuration but a data dir, logs a request id on every request line and no token, and shuts down cleanly', async () => {
    const { child, output } = startMain({ NODE_ENV: 'production', PORT: '0', DATA_DIR: dataDir, API_TOKENS: `ops:${TOKEN}` });
    try {
      const url = await waitForListening(output);
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, 'x-request-id': 'trace-me-1' },
        body: JSON.stringify({
          query: 'mutation { createHypothesis(input: { title: "Entry point", idea: "Started as npm start starts it." }) { run { status } } }',
        }),
      });
      expect(await response.json()).toEqual({ data: { createHypothesis: { run: { status: 'QUEUED' } } } });
      expect(response.headers.get('x-request-id')).toBe('trace-me-1');
      const refused = await fetch(`${url}/graphql?token=${TOKEN}`, { method: 'POST', headers: { authorization: 'Bearer wrong-token-123456789' } });
      expect(refused.status).toBe(401);
      const redisPid = Number(readFileSync(join(dataDir, 'redis', 'redis.pid'), 'utf8'));

      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(() => process.kill(redisPid, 0)).toThrow();

      const lines = output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      const requestLines = lines.filter((l) => l.req || l.msg === 'hypothesis created' || l.msg === 'run queued');
      expect(requestLines.length).toBeGreaterThanOrEqual(4);
      for (const line of requestLines) expect(line.reqId).toEqual(expect.any(String));
      expect(lines.filter((l) => l.reqId === 'trace-me-1').map((l) => l.msg)).toEqual(
        expect.arrayContaining(['hypothesis created', 'run queued', 'request completed']),
      );
      expect(output()).not.toContain(TOKEN);
      expect(output()).not.toContain('wrong-token-123456789');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('a server killed in the middle of a large batch', () => {
  let dataDir: string;
  const servers: ChildProcess[] = [];
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'orch-crash-'));
  });
  afterEach(async () => {
    // A failed assertion must not leave a server (or its redis-server) running.
    for (const child of servers.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  const gql = async (url: string, query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as { data: any; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const newRun = async (url: string) =>
    (await gql(url, 'mutation { createHypothesis(input: { title: "Crash test", idea: "Survives a SIGKILL mid-batch." }) { run { id } } }')).createHypothesis.run.id as string;
  const postBatch = (url: string, body: string) =>
    fetch(`${url}/api/ingest/events`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
  const state = async (url: string, runId: string) => {
    const data = await gql(url, RUN_STATE, { id: runId });
    return JSON.parse(JSON.stringify(data.run).replaceAll(runId, '<run>'));
  };

  it('stores and applies every event exactly once after the batch is sent again', async () => {
    let server = startMain({ NODE_ENV: 'production', PORT: '0', DATA_DIR: dataDir, PROCESS_JOBS: 'false' });
    servers.push(server.child);
    let url = await waitForListening(server.output);
    const clean = await newRun(url);
    const events = simulatedRun(clean, { nodesPerStage: 150, logsPerNode: 20 });
    expect(events.length).toBeGreaterThan(4000);
    expect((await postBatch(url, ndjson(events))).status).toBe(202);

    // From before the batch is stored to after it is projected: the outcome must be the same.
    for (const delayMs of [150, 300, 450, 600]) {
      const crashed = await newRun(url);
      const batch = ndjson(retarget(events, crashed));
      const pending = postBatch(url, batch).catch(() => null);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      server.child.kill('SIGKILL');
      await once(server.child, 'exit');
      await pending;

      server = startMain({ NODE_ENV: 'production', PORT: '0', DATA_DIR: dataDir, PROCESS_JOBS: 'false' });
      servers.push(server.child);
      url = await waitForListening(server.output);
      const resent = await postBatch(url, batch);
      expect(resent.status).toBe(202);
      const counts = (await resent.json()) as { accepted: number; duplicates: number };
      expect(counts.accepted + counts.duplicates).toBe(events.length);
      expect(await state(url, crashed)).toEqual(await state(url, clean));
    }
    server.child.kill('SIGTERM');
    await once(server.child, 'exit');
  }, 180_000);
});
