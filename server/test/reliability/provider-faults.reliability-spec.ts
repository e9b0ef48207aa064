import { PodsService } from '../../src/pods/pods.service.js';
import { FakeRunPod } from '../support/fake-runpod.js';
import { CANCEL_RUN, CREATE_HYPOTHESIS, createHypothesisInput } from '../support/graphql-operations.js';
import { dataOf, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { awaitNoLeftovers, Scenario } from './support/scenario.js';

const RUN = /* GraphQL */ `
  query ProviderFaultRun($id: ID!) {
    run(id: $id) {
      status errorType errorMessage
      provisioning { podId terminatedAt error attempts { gpuType outcome message } }
    }
  }
`;

describe('provider faults against the RunPod fake: runs fail with reasons, slots and pods are freed', () => {
  const scenario = new Scenario('provider faults (RunPod fake)');
  let fake: FakeRunPod;
  let app: TestApp;

  beforeAll(async () => {
    fake = await FakeRunPod.start();
    app = await startTestApp({
      PROCESS_JOBS: 'true',
      POD_PROVIDER: 'runpod',
      RUNPOD_API_KEY: fake.apiKey,
      RUNPOD_BASE_URL: fake.url,
      RUNPOD_GPU_TYPES: 'NVIDIA RTX A4000,NVIDIA RTX A5000',
      RUNPOD_WORKER_COMMAND: 'python -m worker',
      PUBLIC_URL: 'http://orchestrator.test:3000',
      RUNPOD_REQUEST_TIMEOUT_S: '1',
      RUNPOD_READY_TIMEOUT_S: '3',
      STARTUP_TIMEOUT_S: '600',
      MAX_POD_SLOTS: '2',
      WATCHDOG_INTERVAL_S: '1',
      REAPER_INTERVAL_S: '1',
      SLOT_ACQUIRE_TIMEOUT_S: '1',
    });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
    scenario.counts.leakedProcesses += (await awaitNoLeftovers()).length;
    scenario.record();
  });

  const createRun = async () => dataOf(await app.graphql(CREATE_HYPOTHESIS, createHypothesisInput())).createHypothesis.run.id as string;
  const runOf = async (id: string) => dataOf(await app.graphql(RUN, { id })).run;
  const runningPods = () => [...fake.pods.values()].filter((p) => p.desiredStatus === 'RUNNING');

  /** After each fault: no slot held, and no pod left once the reaper has had its next pass. */
  const expectNothingLeft = async () => {
    const pods = app.app.get(PodsService);
    await waitFor(() => pods.slotsInUse(), (slots) => slots.length === 0, 20_000).catch(() => undefined);
    const leftPods = await waitFor(async () => runningPods(), (p) => p.length === 0, 20_000).catch(() => runningPods());
    scenario.counts.leakedPods += leftPods.length;
    expect(leftPods).toEqual([]);
    expect(await pods.slotsInUse()).toEqual([]);
  };
  const expectFailed = async (id: string, errorType: string, message: RegExp) => {
    const run = await waitFor(() => runOf(id), (r) => r.status === 'FAILED', 30_000);
    expect(run.errorType).toBe(errorType);
    expect(run.errorMessage).toMatch(message);
    return run;
  };

  it('fails a run whose create requests all time out, with the attempts in its provisioning log', async () => {
    fake.delayNext('create', 4, 3000);
    scenario.counts.faultsInjected += 4;
    const id = await createRun();
    const run = await expectFailed(id, 'PROVISIONING_FAILED', /timed out/);
    expect(run.provisioning.attempts).toHaveLength(4);
    expect(run.provisioning.attempts.every((a: { message: string }) => /timed out after 1000 ms/.test(a.message))).toBe(true);
    await expectNothingLeft();
  });

  it('fails a run through a 5xx storm on create, and adopts (not duplicates) a pod a failed create made anyway', async () => {
    fake.failNext('create', 4, { status: 503, error: 'Service Unavailable' });
    scenario.counts.faultsInjected += 4;
    const stormed = await createRun();
    const run = await expectFailed(stormed, 'PROVISIONING_FAILED', /503/);
    expect(run.provisioning.attempts.map((a: { outcome: string }) => a.outcome)).toEqual(['error', 'error', 'error', 'error']);

    fake.failNext('create', 1, { status: 500, createAnyway: true });
    scenario.counts.faultsInjected++;
    const adopted = await createRun();
    const started = await waitFor(() => runOf(adopted), (r) => r.status === 'STARTING' && r.provisioning?.podId, 20_000);
    expect([...fake.pods.values()].filter((p) => p.env.ORCHESTRATOR_RUN_ID === adopted)).toHaveLength(1);
    expect(started.provisioning.attempts.at(-1).message).toMatch(/created by the failed request/);
    dataOf(await app.graphql(CANCEL_RUN, { id: adopted }));
    await expectNothingLeft();
  });

  it('fails a run whose pod never becomes ready (and whose status reads time out), and terminates the pod', async () => {
    fake.setNeverReady(true);
    fake.delayNext('get', 2, 3000);
    scenario.counts.faultsInjected += 3;
    try {
      const id = await createRun();
      const run = await expectFailed(id, 'POD_NOT_READY', /timed out/);
      expect(run.provisioning.podId).toBeTruthy();
      await waitFor(() => runOf(id), (r) => r.provisioning.terminatedAt !== null, 20_000);
    } finally {
      fake.setNeverReady(false);
    }
    await expectNothingLeft();
  });

  it('ends a cancelled run\'s pod on the reaper\'s next pass when terminate calls fail, and the reaper survives a list storm', async () => {
    const id = await createRun();
    const started = await waitFor(() => runOf(id), (r) => r.status === 'STARTING' && r.provisioning?.podId, 20_000);
    // Every DELETE of cancel's three tries, and of the reaper's first pass, fails; the list storm hits the passes after.
    fake.failTerminate(5, { status: 502, error: 'Bad Gateway' });
    fake.failNext('list', 3, { status: 500 });
    scenario.counts.faultsInjected += 8;
    const cancelled = dataOf(await app.graphql(CANCEL_RUN, { id })).cancelRun;
    expect(cancelled.status).toBe('CANCELED');
    await waitFor(async () => fake.callsTo('terminate').filter((c) => c.status === 502).length, (n) => n >= 3, 20_000);
    expect(fake.pods.get(started.provisioning.podId)?.desiredStatus).toBe('RUNNING');
    await expectNothingLeft();
    expect(fake.callsTo('terminate').some((c) => c.status === 204)).toBe(true);
  });

  afterEach(() => {
    scenario.counts.requestsSent = fake.calls.length;
  });
});
