import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';
import { type FakeOrchestrator, startFakeOrchestrator } from '../../test/support/fake-orchestrator.js';
import { waitFor } from '../../test/support/wait-for.js';
import { type DemoWorkerOptions, type DemoWorkerResult, runDemoWorker } from './run-demo-worker.js';
import { loadWorkerConfig } from './worker-config.js';

const RUN_ID = 'run-demo-1';
const FAST_RETRY = { baseDelayMs: 20, maxDelayMs: 200 };

// The checks spec/events.md makes of every envelope, plus what this worker promises on top.
function envelopeProblems(event: Record<string, any>, runId: string): string[] {
  const problems: string[] = [];
  if (event.specversion !== '1.0') problems.push('specversion');
  if (typeof event.id !== 'string' || !/^[0-9A-HJKMNP-TV-Z]{26}$/.test(event.id)) problems.push('id is not a ULID');
  if (typeof event.source !== 'string' || !/^worker:\/\/[^/]+\/(lifecycle|logs)$/.test(event.source)) problems.push('source');
  if (typeof event.type !== 'string' || !event.type) problems.push('type');
  if (event.subject !== `run/${runId}`) problems.push('subject');
  if (typeof event.time !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(event.time) || Number.isNaN(Date.parse(event.time))) {
    problems.push('time');
  }
  if (event.datacontenttype !== 'application/json') problems.push('datacontenttype');
  if (typeof event.data !== 'object' || event.data === null || event.data.run_id !== runId) problems.push('data.run_id');
  if (!Number.isInteger(event.extensions?.seq) || event.extensions.seq < 1) problems.push('extensions.seq');
  return problems.map((p) => `${event.type} ${event.id}: ${p}`);
}

/** Every event valid, ids unique, and per source: seq strictly increasing in arrival order and 1..emitted without a gap. */
function expectWellFormedStream(fake: FakeOrchestrator, result: DemoWorkerResult): void {
  const events = fake.events.map((e) => e.event);
  expect(events.flatMap((e) => envelopeProblems(e, fake.runId))).toEqual([]);
  expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  const bySource = new Map<string, number[]>();
  for (const e of events) bySource.set(e.source, [...(bySource.get(e.source) ?? []), e.extensions.seq]);
  expect([...bySource.keys()].sort()).toEqual(Object.keys(result.emitted).sort());
  for (const [source, seqs] of bySource) {
    expect({ source, seqs }).toEqual({ source, seqs: Array.from({ length: result.emitted[source] }, (_, i) => i + 1) });
  }
}

const canonical = (stage: string) => `Stage_${/Stage[ _](\d)/.exec(stage)?.[1]}`;
const lifecycleTypes = (fake: FakeOrchestrator) => fake.events.map((e) => e.event).filter((e) => e.type !== 'ai.run.log').map((e) => e.type as string);
const stageEvents = (fake: FakeOrchestrator) =>
  fake.events
    .map((e) => e.event)
    .filter((e) => e.type === 'ai.run.stage_started' || e.type === 'ai.run.stage_completed')
    .map((e) => `${e.type.slice('ai.run.stage_'.length)} ${canonical(e.data.stage)}`);

function config(fake: FakeOrchestrator, vars: Record<string, string> = {}) {
  return loadWorkerConfig({ RUN_ID: fake.runId, ORCHESTRATOR_URL: fake.url, RUN_TOKEN: fake.token, DEMO_PACE: '0.1', DEMO_SEED: '7', ...vars });
}

async function run(fake: FakeOrchestrator, vars: Record<string, string> = {}, options: DemoWorkerOptions = {}) {
  const lines: string[] = [];
  const result = await runDemoWorker(config(fake, vars), { retry: FAST_RETRY, log: (line) => lines.push(line), ...options });
  return { result, diagnostics: lines.join('\n') };
}

describe('runDemoWorker', () => {
  describe('a full run', () => {
    let fake: FakeOrchestrator;
    let result: DemoWorkerResult;
    let diagnostics: string;

    // One run, read by every test below.
    beforeAll(async () => {
      fake = await startFakeOrchestrator({ runId: RUN_ID });
      ({ result, diagnostics } = await run(fake));
    });
    afterAll(() => fake.close());

    it('completes with exit code 0 and a well-formed event stream from two sources', () => {
      expect(result).toMatchObject({ outcome: 'completed', exitCode: 0, undelivered: 0 });
      expectWellFormedStream(fake, result);
      const via = new Map(fake.events.map((e) => [e.event.source, e.via]));
      expect([...via.entries()].sort()).toEqual([
        [expect.stringMatching(/\/lifecycle$/), 'single'],
        [expect.stringMatching(/\/logs$/), 'batch'],
      ]);
      expect(fake.events.filter((e) => e.event.type === 'ai.run.log').every((e) => e.event.source.endsWith('/logs'))).toBe(true);
      expect(fake.requests.filter((r) => r.path === '/api/ingest/events').every((r) => r.contentType === 'application/x-ndjson')).toBe(true);
    });

    it('starts first, completes last, and runs the stages 1 to 4 in order', () => {
      const types = lifecycleTypes(fake);
      expect(types[0]).toBe('ai.run.started');
      expect(types[types.length - 1]).toBe('ai.run.completed');
      expect(stageEvents(fake)).toEqual([1, 2, 3, 4].flatMap((n) => [`started Stage_${n}`, `completed Stage_${n}`]));
      expect(fake.ofType('ai.run.stage_started').some((e) => e.data.stage === 'Stage 1: Preliminary Investigation')).toBe(true);
      for (const e of fake.ofType('ai.run.stage_completed')) expect(e.data).toEqual(expect.objectContaining({ duration_s: expect.any(Number), summary: expect.any(String) }));
      expect(fake.ofType('ai.run.completed')[0].data.total_duration_s).toBeGreaterThan(0);
    });

    it('produces every catalogue type a worker run should, plus one type outside the catalogue', () => {
      const types = new Set(fake.events.map((e) => e.event.type));
      const expected = [
        'ai.run.started', 'ai.run.heartbeat', 'ai.run.completed', 'ai.run.stage_started', 'ai.run.stage_progress', 'ai.run.stage_metric',
        'ai.run.stage_completed', 'ai.node.created', 'ai.node.code_generated', 'ai.node.executing', 'ai.node.completed', 'ai.node.selected_best',
        'ai.paper.started', 'ai.paper.generated', 'ai.validation.auto_started', 'ai.validation.auto_completed', 'ai.run.log',
        'ai.artifact.detected', 'ai.artifact.registered', 'ai.experiment.node_completed',
      ];
      expect([...types].sort()).toEqual(expected.sort());
      expect(fake.ofType('ai.experiment.node_completed')).toHaveLength(1);
    });

    it('reports a search tree whose parents exist, progress within 0..1 and plausible telemetry', () => {
      const created = fake.ofType('ai.node.created').map((e) => e.data);
      const seen = new Set<string>();
      for (const node of created) {
        if (node.parent_id !== null) expect(seen.has(node.parent_id)).toBe(true);
        seen.add(node.node_id);
      }
      expect(created.filter((n) => n.parent_id !== null).length).toBeGreaterThan(0);
      const completed = fake.ofType('ai.node.completed').map((e) => e.data);
      expect(completed).toHaveLength(created.length);
      for (const node of completed) expect(node).toEqual(expect.objectContaining({ is_buggy: expect.any(Boolean), exec_time_s: expect.any(Number) }));
      for (const node of fake.ofType('ai.node.code_generated')) expect(node.data.code_size_bytes).toBeGreaterThan(0);
      const best = fake.ofType('ai.node.selected_best')[0].data;
      expect(Math.min(...completed.filter((n) => !n.is_buggy).map((n) => n.metric))).toBe(best.metric);

      const progress = fake.ofType('ai.run.stage_progress').map((e) => e.data);
      for (const p of progress) expect(p.progress >= 0 && p.progress <= 1).toBe(true);
      const last = progress.filter((p) => canonical(p.stage) === 'Stage_1').at(-1)!;
      expect(last).toEqual(expect.objectContaining({ iteration: 12, max_iterations: 12, total_nodes: 12, best_metric: best.metric }));
      expect(last.good_nodes + last.buggy_nodes).toBe(12);
      expect(new Set(fake.ofType('ai.run.stage_metric').map((e) => e.data.name))).toEqual(new Set(['val_loss', 'accuracy']));

      for (const beat of fake.ofType('ai.run.heartbeat')) {
        expect(beat.data.gpu_util).toBeGreaterThanOrEqual(0);
        expect(beat.data.gpu_util).toBeLessThanOrEqual(100);
        expect(beat.data.mem_gb).toBeGreaterThan(0);
        expect(beat.data.temp_c).toBeGreaterThan(20);
      }
      expect(fake.ofType('ai.run.heartbeat').length).toBeGreaterThanOrEqual(5);
    });

    it('logs at every level, some with kv', () => {
      const logs = fake.ofType('ai.run.log').map((e) => e.data);
      expect(new Set(logs.map((l) => l.level))).toEqual(new Set(['debug', 'info', 'warn', 'warning', 'error']));
      expect(logs.some((l) => typeof l.kv === 'object' && Object.keys(l.kv).length > 0)).toBe(true);
      for (const l of logs) expect(typeof l.message).toBe('string');
    });

    it('uploads real PNG plots and a multi-page PDF whose sha256 matches the registration', () => {
      const registered = fake.ofType('ai.artifact.registered').map((e) => e.data);
      expect(registered.map((r) => r.kind).sort()).toEqual(['paper', 'plot', 'plot', 'plot', 'plot']);
      expect(fake.ofType('ai.artifact.detected')).toHaveLength(4);
      for (const r of registered) {
        const upload = fake.uploads.get(r.key)!;
        expect(upload).toBeDefined();
        expect(r).toEqual(expect.objectContaining({ bytes: upload.bytes.length, sha256: createHash('sha256').update(upload.bytes).digest('hex'), content_type: upload.contentType }));
        if (r.kind === 'plot') {
          const png = pngjs.PNG.sync.read(upload.bytes);
          expect([png.width, png.height]).toEqual([640, 400]);
        } else {
          expect(upload.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
          expect(upload.bytes.toString('latin1').match(/\/Type \/Page\b(?!s)/g)!.length).toBeGreaterThan(1);
        }
      }
      const paper = fake.ofType('ai.paper.generated')[0].data;
      expect(paper.artifact_key).toBe(registered.find((r) => r.kind === 'paper')!.key);
      expect(paper.word_count).toBeGreaterThan(500);
    });

    it('posts an auto-validation verdict with numeric scores and a structured review', () => {
      expect(fake.ofType('ai.validation.auto_started')[0].data).toEqual(expect.objectContaining({ model: expect.any(String), rubric_version: expect.any(String) }));
      const { verdict, scores, notes } = fake.ofType('ai.validation.auto_completed')[0].data;
      expect(['pass', 'fail']).toContain(verdict);
      expect(Object.keys(scores)).toEqual(expect.arrayContaining(['novelty', 'soundness', 'clarity', 'significance']));
      for (const value of Object.values(scores)) expect(typeof value).toBe('number');
      const review = JSON.parse(notes);
      expect(review.strengths.length).toBeGreaterThan(0);
      expect(review.weaknesses.length).toBeGreaterThan(0);
    });

    it('sends the bearer token to the orchestrator only, never to the upload URL or the diagnostics', () => {
      const puts = fake.requests.filter((r) => r.method === 'PUT');
      expect(puts).toHaveLength(5);
      expect(puts.every((r) => !r.hadAuthorization)).toBe(true);
      expect(fake.requests.filter((r) => r.method === 'POST').every((r) => r.hadAuthorization)).toBe(true);
      expect(diagnostics).not.toContain(fake.token);
    });
  });

  let fake: FakeOrchestrator;

  beforeEach(async () => {
    fake = await startFakeOrchestrator({ runId: RUN_ID });
  });
  afterEach(() => fake.close());

  it('retries a 503 storm, a 429 with Retry-After, dropped connections and lost responses without losing or doubling events', async () => {
    fake.failNext(5, { status: 503, path: /\/api\/ingest\/event$/ });
    fake.failNext(1, { status: 429, retryAfter: '1', path: /\/api\/ingest\/events$/ });
    fake.failNext(2, { reset: true, path: /presign/ });
    fake.failNext(2, { status: 502, afterStoring: true, path: /\/api\/ingest\/event$/ });
    fake.failNext(1, { status: 503, afterStoring: true, path: /\/api\/ingest\/events$/ });

    const { result, diagnostics } = await run(fake, { DEMO_PACE: '0.05' });

    expect(result).toMatchObject({ outcome: 'completed', undelivered: 0 });
    expectWellFormedStream(fake, result);
    expect(fake.duplicates.length).toBeGreaterThanOrEqual(3);
    expect(fake.requests.filter((r) => r.status === 0 && r.path.endsWith('/presign'))).toHaveLength(2);
    expect(diagnostics).toMatch(/HTTP 503: injected failure; retry 1/);
    expect(diagnostics).toMatch(/HTTP 429/);
    const batches = fake.requests.filter((r) => r.path === '/api/ingest/events');
    const throttled = batches.findIndex((r) => r.status === 429);
    expect(throttled).toBeGreaterThanOrEqual(0);
    expect(batches[throttled + 1].at - batches[throttled].at).toBeGreaterThanOrEqual(950);
    expect(lifecycleTypes(fake).at(-1)).toBe('ai.run.completed');
  });

  it('fails at DEMO_FAIL_AT=Stage_3 with a traceback, no completion and exit code 1', async () => {
    const { result } = await run(fake, { DEMO_FAIL_AT: 'Stage_3', DEMO_PACE: '0.05' });

    expect(result).toMatchObject({ outcome: 'failed', exitCode: 1, undelivered: 0 });
    expectWellFormedStream(fake, result);
    expect(fake.ofType('ai.run.completed')).toHaveLength(0);
    expect(lifecycleTypes(fake).at(-1)).toBe('ai.run.failed');
    const failed = fake.ofType('ai.run.failed')[0].data;
    expect(failed).toEqual(expect.objectContaining({ stage: 'Stage_3', code: 'CalledProcessError', retryable: false, message: expect.stringContaining('pdflatex') }));
    expect(failed.traceback).toMatch(/^Traceback \(most recent call last\):\n {2}File "/);
    expect(stageEvents(fake)).toEqual(['started Stage_1', 'completed Stage_1', 'started Stage_2', 'completed Stage_2', 'started Stage_3']);
  });

  it('runs only Stage_3 and Stage_4 in writeup mode', async () => {
    const { result } = await run(fake, { WORKER_MODE: 'writeup' });

    expect(result).toMatchObject({ outcome: 'completed', exitCode: 0, undelivered: 0 });
    expectWellFormedStream(fake, result);
    expect(stageEvents(fake)).toEqual(['started Stage_3', 'completed Stage_3', 'started Stage_4', 'completed Stage_4']);
    expect(fake.events.some((e) => e.event.type.startsWith('ai.node.'))).toBe(false);
    const types = lifecycleTypes(fake);
    expect([types[0], types.at(-1)]).toEqual(['ai.run.started', 'ai.run.completed']);
    expect(fake.ofType('ai.artifact.registered').map((e) => e.data.kind)).toEqual(['paper']);
    expect(fake.ofType('ai.validation.auto_completed')).toHaveLength(1);
  });

  it('stops promptly when aborted: no new events, queued logs flushed, exit code 143', async () => {
    const stop = new AbortController();
    const running = run(fake, { DEMO_PACE: '1' }, { signal: stop.signal });
    await waitFor(async () => fake.ofType('ai.node.executing').length, (n) => n > 0, 5_000, 10);
    const abortedAt = Date.now();
    stop.abort();
    const { result } = await running;

    expect(Date.now() - abortedAt).toBeLessThan(3_000);
    expect(result).toMatchObject({ outcome: 'stopped', exitCode: 143, undelivered: 0 });
    expectWellFormedStream(fake, result);
    expect(fake.ofType('ai.run.completed')).toHaveLength(0);
    expect(fake.ofType('ai.run.failed')).toHaveLength(0);
    const requests = fake.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(fake.requests.length).toBe(requests);
  });

  it('gives up on queued events after the flush timeout when stopped while the orchestrator is down', async () => {
    const stop = new AbortController();
    const running = run(fake, { DEMO_PACE: '1' }, { signal: stop.signal, flushTimeoutMs: 300, retry: { baseDelayMs: 50, maxDelayMs: 100, maxAttempts: 1000 } });
    await waitFor(async () => fake.ofType('ai.run.started').length, (n) => n > 0, 5_000, 10);
    fake.failNext(10_000, { status: 503 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const abortedAt = Date.now();
    stop.abort();
    const { result, diagnostics } = await running;

    expect(Date.now() - abortedAt).toBeLessThan(3_000);
    expect(result.outcome).toBe('stopped');
    expect(result.undelivered).toBeGreaterThan(0);
    expect(diagnostics).toMatch(/giving up: stopped before delivery/);
  });
});

describe('demo worker entry point (the compiled demo-worker.js as a child process)', () => {
  const serverDir = join(dirname(fileURLToPath(import.meta.url)), '../..');
  let buildDir: string;
  let fake: FakeOrchestrator;

  // Only the worker's own files are compiled, as they would be shipped to a pod on their own.
  beforeAll(() => {
    buildDir = mkdtempSync(join(tmpdir(), 'demo-worker-'));
    const nodeModules = join(serverDir, '../node_modules');
    writeFileSync(
      join(buildDir, 'tsconfig.json'),
      JSON.stringify({
        extends: join(serverDir, 'tsconfig.json'),
        compilerOptions: { outDir: join(buildDir, 'worker'), rootDir: join(serverDir, 'src/worker'), types: ['node'], typeRoots: [join(nodeModules, '@types')], sourceMap: false },
        include: [],
        files: [join(serverDir, 'src/worker/demo-worker.ts')],
      }),
    );
    writeFileSync(join(buildDir, 'package.json'), '{ "type": "module" }');
    symlinkSync(nodeModules, join(buildDir, 'node_modules'));
    execFileSync('npx', ['tsc', '-p', join(buildDir, 'tsconfig.json')], { cwd: serverDir });
  }, 120_000);
  afterAll(() => rmSync(buildDir, { recursive: true, force: true }));
  beforeEach(async () => {
    fake = await startFakeOrchestrator({ runId: RUN_ID });
  });
  afterEach(() => fake.close());

  function start(vars: Record<string, string>): { child: ChildProcess; stderr: () => string } {
    let stderr = '';
    const child = spawn(process.execPath, [join(buildDir, 'worker/demo-worker.js')], { env: { PATH: process.env.PATH, ...vars } });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return { child, stderr: () => stderr };
  }

  it('refuses a bad configuration with every problem listed and exit code 1', async () => {
    const { child, stderr } = start({ ORCHESTRATOR_URL: 'nope', RUN_TOKEN: 'tok-do-not-print', DEMO_PACE: 'fast' });
    const [code] = await once(child, 'exit');

    expect(code).toBe(1);
    expect(stderr()).toContain('RUN_ID: is required');
    expect(stderr()).toContain('ORCHESTRATOR_URL: must be an http:// or https:// URL');
    expect(stderr()).toContain('DEMO_PACE: must be a number above 0');
    expect(stderr()).not.toContain('tok-do-not-print');
  });

  it('exits 1 after posting ai.run.failed when told to fail at Stage_2', async () => {
    const { child, stderr } = start({ RUN_ID, ORCHESTRATOR_URL: fake.url, RUN_TOKEN: fake.token, DEMO_PACE: '0.05', DEMO_FAIL_AT: 'Stage_2' });
    const [code] = await once(child, 'exit');

    expect(code).toBe(1);
    expect(fake.ofType('ai.run.failed')[0].data).toEqual(expect.objectContaining({ stage: 'Stage_2', code: 'ValueError', retryable: false }));
    expect(stderr()).not.toContain(fake.token);
  });

  it('on SIGTERM stops emitting, flushes and exits 143 promptly; the token travels in the URL only as the user name', async () => {
    const url = new URL(fake.url);
    url.username = fake.token;
    const { child, stderr } = start({ RUN_ID, ORCHESTRATOR_URL: url.toString(), DEMO_PACE: '1' });
    await waitFor(async () => fake.ofType('ai.node.created').length, (n) => n > 0, 10_000, 10);
    const killedAt = Date.now();
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');

    expect(code).toBe(143);
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(fake.ofType('ai.run.completed')).toHaveLength(0);
    expect(fake.requests.every((r) => r.status < 400)).toBe(true);
    expect(stderr()).toMatch(/demo worker: stopped \(exit 143\)/);
    expect(stderr()).not.toContain(fake.token);
  });
});
