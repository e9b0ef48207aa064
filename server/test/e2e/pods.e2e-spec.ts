import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CANCEL_RUN, CREATE_HYPOTHESIS, createHypothesisInput } from '../support/graphql-operations.js';
import { FakeRunPod } from '../support/fake-runpod.js';
import { PODS_ENV, testWorker } from '../support/pods-env.js';
import { dataOf, startTestApp, type TestApp } from '../support/test-app.js';

const RUN = /* GraphQL */ `
  query PodRun($id: ID!) {
    run(id: $id) {
      id status errorType errorMessage errorTraceback
      statusHistory { from to by reason }
      stages { name status }
      metrics { name }
      nodes { nodeId }
      artifacts { kind status }
      logs(first: 500) { totalCount nodes { message source } }
      provisioning { provider mode podId gpuType createdAt terminatedAt exitCode error attempts { provider gpuType outcome message } }
    }
  }
`;

const waitFor = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

/** Processes on this machine started for a run: the local provider gives each worker RUN_ID in its environment. */
const processesWith = (runId: string) =>
  readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`RUN_ID=${runId}`);
      } catch {
        return false;
      }
    });

async function createRun(app: TestApp): Promise<string> {
  return dataOf(await app.graphql(CREATE_HYPOTHESIS, createHypothesisInput())).createHypothesis.run.id;
}
const runOf = async (app: TestApp, id: string): Promise<any> => dataOf(await app.graphql(RUN, { id })).run;
const statusIs = (...statuses: string[]) => (run: any) => statuses.includes(run.status as string);

describe('runs on the local provider (the bundled demo worker)', () => {
  let app: TestApp;
  afterEach(async () => {
    await app?.close();
  });

  it('takes a new hypothesis from QUEUED to AWAITING_HUMAN with stages, logs, metrics, nodes and artifacts', async () => {
    app = await startTestApp(PODS_ENV);
    const id = await createRun(app);
    // Auto validation runs inside stage 4, so the run awaits a human just before stage 4 completes.
    const allStagesDone = (r: any) => r.stages.every((s: { status: string }) => s.status === 'COMPLETED');
    const run = await waitFor(() => runOf(app, id), (r) => r.status === 'FAILED' || (r.status === 'AWAITING_HUMAN' && allStagesDone(r)));
    expect(run.status).toBe('AWAITING_HUMAN');
    expect(run.statusHistory.map((t: { to: string }) => t.to)).toEqual(['SCHEDULED', 'STARTING', 'RUNNING', 'AUTO_VALIDATING', 'AWAITING_HUMAN']);
    expect(run.stages.map((s: { status: string }) => s.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED', 'COMPLETED']);
    expect(run.logs.totalCount).toBeGreaterThan(50);
    expect(run.metrics.length).toBeGreaterThan(0);
    expect(run.nodes.length).toBeGreaterThan(3);
    expect(run.artifacts.map((a: { kind: string }) => a.kind)).toEqual(expect.arrayContaining(['plot', 'paper']));
    expect(run.provisioning).toMatchObject({ provider: 'local', mode: 'full', podId: expect.any(String), error: null });
    expect(run.provisioning.attempts).toEqual([expect.objectContaining({ provider: 'local', outcome: 'created' })]);
    expect(run.logs.nodes.some((l: { source: string }) => l.source === 'orchestrator')).toBe(true);
    // The worker exits after its run; the pod is recorded as gone and no process is left.
    const done = await waitFor(() => runOf(app, id), (r) => r.provisioning.terminatedAt !== null);
    expect(done.provisioning.exitCode).toBe(0);
    expect(processesWith(id)).toEqual([]);
  }, 90_000);

  it('never runs two pods at once with MAX_POD_SLOTS=1, and finishes all three runs', async () => {
    app = await startTestApp({ ...PODS_ENV, MAX_POD_SLOTS: '1' });
    const ids = [await createRun(app), await createRun(app), await createRun(app)];
    const runs = await Promise.all(ids.map((id) => waitFor(() => runOf(app, id), (r) => r.status === 'AWAITING_HUMAN' && r.provisioning?.terminatedAt !== null, 120_000)));
    const spans = runs
      .map((r) => [Date.parse(r.provisioning.createdAt), Date.parse(r.provisioning.terminatedAt)])
      .sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
  }, 150_000);

  it('cancels a run during Stage_2: CANCELED, the worker\'s process group gone, the slot free', async () => {
    app = await startTestApp({ ...PODS_ENV, MAX_POD_SLOTS: '1', POD_ENV: PODS_ENV.POD_ENV.replace('DEMO_PACE=0.1', 'DEMO_PACE=0.5') });
    const id = await createRun(app);
    await waitFor(() => runOf(app, id), (r) => r.stages[1].status === 'RUNNING', 60_000);
    expect(processesWith(id).length).toBeGreaterThan(0);
    dataOf(await app.graphql(CANCEL_RUN, { id, reason: 'changed my mind' }));
    const canceled = await waitFor(() => runOf(app, id), (r) => r.provisioning.terminatedAt !== null);
    expect(canceled.status).toBe('CANCELED');
    expect(processesWith(id)).toEqual([]);
    // The slot is free: the next run starts.
    const next = await createRun(app);
    await waitFor(() => runOf(app, next), statusIs('RUNNING', 'AUTO_VALIDATING', 'AWAITING_HUMAN'), 60_000);
  }, 90_000);

  it('fails a run where the worker fails (DEMO_FAIL_AT=Stage_3) with its error type, message and traceback', async () => {
    app = await startTestApp({ ...PODS_ENV, POD_ENV: `${PODS_ENV.POD_ENV},DEMO_FAIL_AT=Stage_3` });
    const id = await createRun(app);
    const run = await waitFor(() => runOf(app, id), statusIs('FAILED', 'AWAITING_HUMAN'));
    expect(run.status).toBe('FAILED');
    expect(run.errorType).toEqual(expect.any(String));
    expect(run.errorMessage).toEqual(expect.any(String));
    expect(run.errorTraceback).toMatch(/Traceback/);
    expect(run.stages[2].status).toBe('FAILED');
  }, 60_000);

  it('retries the writeup of a failed run with a worker in writeup mode, one retry at a time', async () => {
    app = await startTestApp({ ...PODS_ENV, POD_ENV: `${PODS_ENV.POD_ENV},DEMO_FAIL_AT=Stage_4` });
    const id = await createRun(app);
    const failed = await waitFor(() => runOf(app, id), (r) => r.status === 'FAILED' && r.provisioning?.terminatedAt !== null);
    const firstPaperAt = dataOf(await app.graphql(`query($id: ID!) { run(id: $id) { paper { at } } }`, { id })).run.paper.at;
    expect(failed.provisioning.mode).toBe('full');

    const retry = `mutation($id: ID!) { retryWriteup(id: $id) { writeup { active count requestedBy } } }`;
    const [first, second] = await Promise.all([app.graphql(retry, { id }), app.graphql(retry, { id })]);
    const results = [first, second];
    expect(results.filter((r) => r.data?.retryWriteup)).toHaveLength(1);
    expect(results.find((r) => r.errors)?.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'WRITEUP_NOT_ALLOWED', active: true });

    const done = await waitFor(
      async () => dataOf(await app.graphql(`query($id: ID!) { run(id: $id) { status paper { at } writeup { active count outcome } provisioning { mode terminatedAt } } }`, { id })).run,
      (r) => r.writeup.active === false && r.provisioning.mode === 'writeup' && r.provisioning.terminatedAt !== null,
    );
    expect(done.status).toBe('FAILED');
    expect(done.writeup).toMatchObject({ count: 1, outcome: expect.stringMatching(/exited/) });
    expect(Date.parse(done.paper.at)).toBeGreaterThan(Date.parse(firstPaperAt));

    const queued = await createRun(app);
    const refused = await app.graphql(retry, { id: queued });
    expect(refused.errors?.[0].extensions).toMatchObject({ reason: 'WRITEUP_NOT_ALLOWED', active: false });
  }, 90_000);

  it('fails a run whose worker stops heartbeating, and terminates its pod', async () => {
    app = await startTestApp({ ...PODS_ENV, HEARTBEAT_TIMEOUT_S: '2', WORKER_COMMAND: testWorker('silent-after-start.mjs') });
    const id = await createRun(app);
    const run = await waitFor(() => runOf(app, id), (r) => r.status === 'FAILED' && r.provisioning.terminatedAt !== null, 30_000);
    expect(run).toMatchObject({ errorType: 'HEARTBEAT_TIMEOUT', statusHistory: expect.arrayContaining([expect.objectContaining({ to: 'RUNNING' })]) });
    expect(processesWith(id)).toEqual([]);
  }, 40_000);

  it('fails a run whose worker never starts (STARTUP_TIMEOUT)', async () => {
    app = await startTestApp({ ...PODS_ENV, STARTUP_TIMEOUT_S: '2', WORKER_COMMAND: 'sleep 300' });
    const id = await createRun(app);
    const run = await waitFor(() => runOf(app, id), (r) => r.status === 'FAILED' && r.provisioning.terminatedAt !== null, 30_000);
    expect(run.errorType).toBe('STARTUP_TIMEOUT');
  }, 40_000);
});

describe('runs on RunPod (a local fake of its REST API)', () => {
  let fake: FakeRunPod;
  let app: TestApp | undefined;
  const runpodEnv = () => ({
    ...PODS_ENV,
    POD_PROVIDER: 'runpod',
    RUNPOD_API_KEY: fake.apiKey,
    RUNPOD_BASE_URL: fake.url,
    RUNPOD_GPU_TYPES: 'NVIDIA RTX A4000,NVIDIA RTX A5000',
    RUNPOD_WORKER_COMMAND: 'python -m worker',
    PUBLIC_URL: 'http://orchestrator.test:3000',
    STARTUP_TIMEOUT_S: '600',
  });

  beforeEach(async () => {
    fake = await FakeRunPod.start();
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await fake.close();
  });

  it('uses the second GPU type when the first has no capacity, and the provisioning log says why', async () => {
    fake.setCapacity('NVIDIA RTX A4000', false);
    app = await startTestApp(runpodEnv());
    const id = await createRun(app);
    const run = await waitFor(() => runOf(app!, id), (r) => r.status === 'STARTING' && r.provisioning?.podId);
    expect(run.provisioning.gpuType).toBe('NVIDIA RTX A5000');
    expect(run.provisioning.attempts).toEqual([
      expect.objectContaining({ gpuType: 'NVIDIA RTX A4000', outcome: 'no_capacity', message: expect.stringMatching(/no longer any instances/) }),
      expect.objectContaining({ gpuType: 'NVIDIA RTX A5000', outcome: 'created' }),
    ]);
    const pod = fake.pods.get(run.provisioning.podId)!;
    expect(pod.env).toMatchObject({ RUN_ID: id, ORCHESTRATOR_URL: 'http://orchestrator.test:3000', WORKER_MODE: 'full', RUN_TOKEN: expect.stringMatching(/^ort_/) });
    // Only what the worker needs: no database, storage or provider credentials.
    expect(JSON.stringify(pod.env)).not.toMatch(/MONGO|REDIS|MINIO|RUNPOD_API_KEY|OPENAI/);
    dataOf(await app.graphql(CANCEL_RUN, { id }));
    await waitFor(async () => fake.pods.get(run.provisioning.podId)?.desiredStatus, (s) => s === 'TERMINATED' || s === undefined);
  }, 30_000);

  it('fails the run with the provisioning log when every GPU type fails', async () => {
    fake.setCapacity('NVIDIA RTX A4000', false);
    fake.setCapacity('NVIDIA RTX A5000', false);
    app = await startTestApp(runpodEnv());
    const id = await createRun(app);
    const run = await waitFor(() => runOf(app!, id), statusIs('FAILED'));
    expect(run.errorType).toBe('PROVISIONING_FAILED');
    expect(run.provisioning.attempts.length).toBeGreaterThanOrEqual(2);
    expect(run.provisioning.attempts.every((a: { outcome: string }) => a.outcome === 'no_capacity')).toBe(true);
    expect(run.provisioning.error).toMatch(/A4000|A5000|capacity|instances/);
  }, 30_000);

  it('terminates, after a restart, the pods a crashed orchestrator left behind, and keeps the live one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'orch-reaper-'));
    try {
      const first = await startTestApp({ ...runpodEnv(), REAPER_INTERVAL_S: '3600' }, { dataDir, keepData: true });
      const id = await createRun(first);
      const run = await waitFor(() => runOf(first, id), (r) => r.status === 'STARTING' && r.provisioning?.podId);
      await first.close();
      // Left behind: a duplicate pod of the live run (created before a crash could record it) and a pod of an unknown run.
      const duplicate = fake.addPod({ name: `orchestrator-run-${id}`, env: { ORCHESTRATOR_APP: 'orchestrator', ORCHESTRATOR_RUN_ID: id, ORCHESTRATOR_MODE: 'full' } });
      const unknownRun = '00000000-0000-4000-8000-000000000000';
      const stray = fake.addPod({ name: `orchestrator-run-${unknownRun}`, env: { ORCHESTRATOR_APP: 'orchestrator', ORCHESTRATOR_RUN_ID: unknownRun, ORCHESTRATOR_MODE: 'full' } });

      app = await startTestApp(runpodEnv(), { dataDir, keepData: true });
      const status = (podId: string) => fake.pods.get(podId)?.desiredStatus ?? 'GONE';
      await waitFor(async () => [status(duplicate.id), status(stray.id)], (s) => s.every((x) => x === 'TERMINATED' || x === 'GONE'), 20_000);
      expect(status(run.provisioning.podId)).toBe('RUNNING');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 40_000);
});
