import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { FakeRunPod, NO_CAPACITY_ERROR } from '../../../../test/support/fake-runpod.js';
import { DomainError } from '../../../common/errors/domain-error.js';
import { PodNotReadyError, PodSpec, PodTerminationError, ProviderRequestError, ProvisioningFailedError } from '../compute-provider.js';
import { RunPodProvider, RunPodProviderOptions } from './runpod.provider.js';

const A4000 = 'NVIDIA RTX A4000';
const A5000 = 'NVIDIA RTX A5000';

let fake: FakeRunPod;

beforeEach(async () => {
  fake = await FakeRunPod.start({ readyAfterMs: 60 });
});

afterEach(async () => {
  await fake.close();
});

function provider(overrides: Partial<RunPodProviderOptions> = {}): RunPodProvider {
  return new RunPodProvider({
    apiKey: fake.apiKey,
    baseUrl: fake.url,
    imageName: 'runpod/pytorch:test',
    gpuTypes: [A4000, A5000],
    setupScripts: ['pip install -e .'],
    workerCommand: ['python', 'worker.py'],
    pollIntervalMs: 20,
    readyTimeoutMs: 3_000,
    requestTimeoutMs: 2_000,
    retryDelayMs: 10,
    ...overrides,
  });
}

function aSpec(runId = randomUUID()): PodSpec {
  return {
    runId,
    name: `orchestrator-run-${runId}`,
    labels: { app: 'orchestrator', runId, mode: 'full' },
    env: { RUN_ID: runId, ORCHESTRATOR_URL: 'http://orchestrator.test', RUN_TOKEN: 'run-token', WORKER_MODE: 'full' },
  };
}

async function failure<T extends Error>(promise: Promise<unknown>, type: new (...args: any[]) => T): Promise<T> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(type);
  return error as T;
}

function expectNoApiKey(error: Error): void {
  const details = error instanceof DomainError ? JSON.stringify(error.details) : '';
  expect(`${error.message} ${details} ${error.stack ?? ''}`).not.toContain(fake.apiKey);
}

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

describe('RunPodProvider', () => {
  it('refuses options it cannot work with', () => {
    expect(() => provider({ gpuTypes: [] })).toThrow(/GPU type/);
    expect(() => provider({ apiKey: '' })).toThrow(/API key/);
    expect(() => provider({ maxAttempts: 0 })).toThrow(/maxAttempts/);
  });

  describe('create', () => {
    it('creates the pod on the first GPU type with the image, env, labels and start command', async () => {
      const spec = aSpec();
      const { pod, attempts } = await provider().create(spec);

      expect(attempts).toEqual([{ at: expect.any(Date), provider: 'runpod', gpuType: A4000, outcome: 'created', message: null }]);
      expect(pod).toMatchObject({ name: spec.name, runId: spec.runId, status: 'starting', gpuType: A4000, ssh: null });
      const [call] = fake.callsTo('create');
      expect(call.authorization).toBe(`Bearer ${fake.apiKey}`);
      expect(call.body).toEqual({
        name: spec.name,
        imageName: 'runpod/pytorch:test',
        gpuTypeIds: [A4000],
        gpuCount: 1,
        containerDiskInGb: 30,
        volumeInGb: 50,
        ports: ['22/tcp'],
        env: { ...spec.env, ORCHESTRATOR_APP: 'orchestrator', ORCHESTRATOR_RUN_ID: spec.runId, ORCHESTRATOR_MODE: 'full' },
        dockerStartCmd: ['bash', '-lc', expect.stringContaining(`'python' 'worker.py' &`)],
      });
      expect((call.body as { dockerStartCmd: string[] }).dockerStartCmd[2]).toContain(`'pip install -e .'`);
    });

    it('moves on to the next GPU type when one has no capacity, and the attempts say why', async () => {
      fake.setCapacity(A4000, false);
      const { pod, attempts } = await provider().create(aSpec());

      expect(pod.gpuType).toBe(A5000);
      expect(attempts.map((a) => [a.gpuType, a.outcome])).toEqual([
        [A4000, 'no_capacity'],
        [A5000, 'created'],
      ]);
      expect(attempts[0].message).toBe(`HTTP 500: ${NO_CAPACITY_ERROR}`);
    });

    it('moves on to the next GPU type on a 5xx', async () => {
      fake.failNext('create', 1, { status: 503, error: 'upstream unavailable' });
      const { pod, attempts } = await provider().create(aSpec());

      expect(pod.gpuType).toBe(A5000);
      expect(attempts.map((a) => [a.outcome, a.message])).toEqual([
        ['error', 'HTTP 503: upstream unavailable'],
        ['created', null],
      ]);
    });

    it('starts from the type after the one it used last time', async () => {
      const runpod = provider({ gpuTypes: [A4000, A5000, 'NVIDIA A40'] });
      const used = [];
      for (let i = 0; i < 4; i++) used.push((await runpod.create(aSpec())).pod.gpuType);
      expect(used).toEqual([A4000, A5000, 'NVIDIA A40', A4000]);
    });

    it('throws ProvisioningFailedError with every attempt when no type has capacity, after two rounds', async () => {
      fake.setCapacity(A4000, false);
      fake.setCapacity(A5000, false);
      const error = await failure(provider().create(aSpec()), ProvisioningFailedError);

      expect(error.attempts.map((a) => [a.gpuType, a.outcome])).toEqual([
        [A4000, 'no_capacity'],
        [A5000, 'no_capacity'],
        [A4000, 'no_capacity'],
        [A5000, 'no_capacity'],
      ]);
      expect(error.retryable).toBe(true);
      expect(error).toBeInstanceOf(DomainError);
      expect(error.message).toContain('after 4 attempts');
      expect(fake.pods.size).toBe(0);
    });

    it('bounds a 5xx storm by maxAttempts', async () => {
      fake.failNext('create', 100, { status: 500 });
      const error = await failure(provider({ maxAttempts: 3 }).create(aSpec()), ProvisioningFailedError);

      expect(error.attempts.map((a) => a.outcome)).toEqual(['error', 'error', 'error']);
      expect(error.retryable).toBe(true);
      expect(fake.callsTo('create')).toHaveLength(3);
    });

    it('stops at a 4xx that is not about capacity', async () => {
      fake.failNext('create', 1, { status: 400, error: 'gpuTypeIds: invalid value' });
      const error = await failure(provider().create(aSpec()), ProvisioningFailedError);

      expect(error.attempts).toEqual([expect.objectContaining({ gpuType: A4000, outcome: 'error', message: 'HTTP 400: gpuTypeIds: invalid value' })]);
      expect(error.retryable).toBe(false);
      expect(fake.callsTo('create')).toHaveLength(1);
    });

    it('stops at a rejected API key, without repeating the key', async () => {
      const error = await failure(provider({ apiKey: 'rpa_wrong_key_0123456789' }).create(aSpec()), ProvisioningFailedError);

      expect(error.retryable).toBe(false);
      expect(error.attempts[0].message).toBe('HTTP 401: Unauthorized');
      expect(error.message).not.toContain('rpa_wrong_key_0123456789');
    });

    it('records a request that times out as an error attempt and moves on', async () => {
      fake.delayNext('create', 1, 5_000);
      const { pod, attempts } = await provider({ requestTimeoutMs: 400 }).create(aSpec());

      expect(attempts.map((a) => [a.gpuType, a.outcome, a.message])).toEqual([
        [A4000, 'error', 'POST /pods timed out after 400 ms'],
        [A5000, 'created', null],
      ]);
      expect(pod.gpuType).toBe(A5000);
    });

    it('adopts the pod a failed request created anyway instead of creating a second one', async () => {
      const spec = aSpec();
      fake.failNext('create', 1, { status: 500, createAnyway: true });
      const { pod, attempts } = await provider().create(spec);

      expect(fake.pods.size).toBe(1);
      expect(fake.callsTo('create')).toHaveLength(1);
      expect(pod).toMatchObject({ id: [...fake.pods.keys()][0], runId: spec.runId });
      expect(attempts.map((a) => a.outcome)).toEqual(['error', 'created']);
      expect(attempts[1].message).toMatch(/^found pod .* created by the failed request$/);
    });

    it('never puts the API key in an error, even when a response repeats it', async () => {
      fake.failNext('create', 1, { status: 400, error: `invalid key ${fake.apiKey}` });
      const echoed = await failure(provider().create(aSpec()), ProvisioningFailedError);
      expect(echoed.message).toContain('invalid key [redacted]');
      expectNoApiKey(echoed);

      const unreachable = await failure(provider({ baseUrl: await closedPortUrl(), maxAttempts: 2 }).create(aSpec()), ProvisioningFailedError);
      expect(unreachable.attempts.map((a) => a.message)).toEqual(['POST /pods failed: ECONNREFUSED', 'POST /pods failed: ECONNREFUSED']);
      expectNoApiKey(unreachable);
    });
  });

  describe('waitUntilReady', () => {
    it('polls until the pod runs with its SSH port mapped, and returns the SSH details', async () => {
      const runpod = provider();
      const { pod } = await runpod.create(aSpec());
      const ready = await runpod.waitUntilReady(pod.id);

      const port = fake.pods.get(pod.id)!.sshPort;
      expect(ready).toMatchObject({
        id: pod.id,
        status: 'running',
        gpuType: A4000,
        region: 'EU-RO-1',
        costPerHour: 0.25,
        ssh: { host: '203.0.113.7', port, user: 'root', command: `ssh root@203.0.113.7 -p ${port}` },
      });
      const polls = fake.callsTo('get');
      expect(polls.length).toBeGreaterThan(1);
      expect(polls[0].query.includeMachine).toBe('true');
    });

    it('keeps polling through transient errors', async () => {
      const runpod = provider();
      const { pod } = await runpod.create(aSpec());
      fake.failNext('get', 2, { status: 502 });
      fake.delayNext('get', 1, 5_000);

      expect((await provider({ requestTimeoutMs: 300 }).waitUntilReady(pod.id)).status).toBe('running');
      expect(fake.callsTo('get').map((c) => c.status).slice(0, 3)).toEqual([502, 502, -1]);
    });

    it('throws PodNotReadyError once readyTimeoutMs has passed for a pod that never starts', async () => {
      fake.setNeverReady(true);
      const runpod = provider({ readyTimeoutMs: 200 });
      const { pod } = await runpod.create(aSpec());
      const error = await failure(runpod.waitUntilReady(pod.id), PodNotReadyError);

      expect(error.message).toContain('timed out after 200 ms (last: status starting)');
      expect(error.lastStatus).toBe('starting');
    });

    it('fails at once when the pod is gone or has exited', async () => {
      const runpod = provider();
      const gone = await failure(runpod.waitUntilReady('no-such-pod'), PodNotReadyError);
      expect(gone.message).toContain('no longer exists');

      const { pod } = await runpod.create(aSpec());
      fake.pods.get(pod.id)!.desiredStatus = 'EXITED';
      const exited = await failure(runpod.waitUntilReady(pod.id), PodNotReadyError);
      expect(exited.lastStatus).toBe('exited');
      expect(fake.callsTo('get')).toHaveLength(2);
    });
  });

  describe('get', () => {
    it('returns the pod, or null when it does not exist', async () => {
      const runpod = provider();
      const spec = aSpec();
      const { pod } = await runpod.create(spec);

      expect(await runpod.get(pod.id)).toMatchObject({ id: pod.id, runId: spec.runId });
      expect(await runpod.get('no-such-pod')).toBeNull();
      expect(await runpod.get('../pods')).toBeNull();
    });

    it('throws ProviderRequestError when RunPod fails', async () => {
      fake.failNext('get', 1, { status: 500 });
      const error = await failure(provider().get('any'), ProviderRequestError);
      expect(error.message).toBe('runpod get failed: HTTP 500: Internal server error');
    });
  });

  describe('list', () => {
    it('returns only pods carrying our label, with their run recovered from env or name', async () => {
      const spec = aSpec();
      const { pod } = await provider().create(spec);
      fake.addPod({ name: 'someone-elses-notebook' });
      fake.addPod({ name: 'orchestrator-run-from-name' });
      fake.addPod({ name: 'renamed-by-hand', env: { ORCHESTRATOR_APP: 'orchestrator', ORCHESTRATOR_RUN_ID: 'from-env' } });

      const pods = await provider().list();
      expect(pods.map((p) => [p.name, p.runId]).sort()).toEqual(
        [
          [spec.name, spec.runId],
          ['orchestrator-run-from-name', 'from-name'],
          ['renamed-by-hand', 'from-env'],
        ].sort(),
      );
      expect(pods.find((p) => p.id === pod.id)?.gpuType).toBe(A4000);
    });

    it('with a deploymentId, sees only the pods of that deployment', async () => {
      const prod = provider({ deploymentId: 'prod' });
      const dev = provider({ deploymentId: 'dev' });
      const prodSpec = aSpec();
      await prod.create(prodSpec);
      await dev.create(aSpec());
      fake.addPod({ name: 'orchestrator-run-unlabelled' });

      expect((await prod.list()).map((p) => p.runId)).toEqual([prodSpec.runId]);
    });
  });

  describe('terminate', () => {
    it('deletes the pod', async () => {
      const runpod = provider();
      const { pod } = await runpod.create(aSpec());
      await runpod.terminate(pod.id);

      expect(fake.pods.has(pod.id)).toBe(false);
      expect(await runpod.get(pod.id)).toBeNull();
    });

    it('is idempotent: a pod that is already gone is not an error', async () => {
      const runpod = provider();
      const { pod } = await runpod.create(aSpec());
      await runpod.terminate(pod.id);
      await expect(runpod.terminate(pod.id)).resolves.toBeUndefined();
      await expect(runpod.terminate('never-existed')).resolves.toBeUndefined();
      await expect(runpod.terminate('..')).resolves.toBeUndefined();
      expect(fake.callsTo('terminate').map((c) => c.status)).toEqual([204, 404, 404]);
    });

    it('tries again when a delete fails', async () => {
      const runpod = provider({ terminateAttempts: 3 });
      const { pod } = await runpod.create(aSpec());
      fake.failTerminate(2);
      await runpod.terminate(pod.id);

      expect(fake.callsTo('terminate').map((c) => c.status)).toEqual([500, 500, 204]);
      expect(fake.pods.size).toBe(0);
    });

    it('throws PodTerminationError when deletes keep failing or hang, so the reaper can retry', async () => {
      const { pod } = await provider().create(aSpec());
      const runpod = provider({ terminateAttempts: 2, requestTimeoutMs: 300 });
      fake.failTerminate(2, { status: 503, error: 'maintenance' });
      const failing = await failure(runpod.terminate(pod.id), PodTerminationError);
      expect(failing.message).toBe(`Could not terminate runpod pod ${pod.id}: HTTP 503: maintenance`);

      fake.delayNext('terminate', 2, 5_000);
      const hanging = await failure(runpod.terminate(pod.id), PodTerminationError);
      expect(hanging.message).toContain('timed out after 300 ms');
      expect(fake.pods.has(pod.id)).toBe(true);
      expectNoApiKey(failing);
    });
  });
});
