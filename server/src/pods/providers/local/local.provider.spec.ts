import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { PodNotReadyError, PodSpec, ProvisioningFailedError } from '../compute-provider.js';
import { LocalProvider, LocalProviderOptions } from './local.provider.js';

// Every process a test starts inherits this variable, so leftovers can be found by it, orphans included.
const MARKER = `LOCAL_PROVIDER_SPEC=${randomUUID()}`;

interface Line {
  runId: string;
  stream: 'stdout' | 'stderr';
  line: string;
}

let providers: LocalProvider[];
let lines: Line[];

beforeEach(() => {
  providers = [];
  lines = [];
});

afterEach(async () => {
  await Promise.all(providers.map((p) => p.shutdown()));
  expect(processesWithMarker()).toEqual([]);
});

function provider(script: string, overrides: Partial<LocalProviderOptions> = {}): LocalProvider {
  const local = new LocalProvider({
    command: ['bash', '-c', script],
    hostEnv: { PATH: process.env.PATH, HOME: '/tmp', NODE_OPTIONS: '--inspect', MONGODB_URI: 'mongodb://user:secret@db' },
    onOutput: (runId, stream, line) => lines.push({ runId, stream, line }),
    terminateGraceMs: 2_000,
    ...overrides,
  });
  providers.push(local);
  return local;
}

function aSpec(runId = randomUUID()): PodSpec {
  const [name, value] = MARKER.split('=');
  return {
    runId,
    name: `orchestrator-run-${runId}`,
    labels: { app: 'orchestrator', runId, mode: 'full' },
    env: { RUN_ID: runId, RUN_TOKEN: 'run-token', [name]: value },
  };
}

async function eventually<T>(read: () => T | Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in time; last value: ${JSON.stringify(value)}`);
    await sleep(20);
  }
}

const stdoutOf = (runId: string) => lines.filter((l) => l.runId === runId && l.stream === 'stdout').map((l) => l.line);

/** The pids a worker printed as its first stdout line ("$$ $!": itself and its background child). */
async function printedPids(runId: string): Promise<number[]> {
  const [first] = await eventually(() => stdoutOf(runId), (out) => out.length > 0);
  return first.split(' ').map(Number);
}

function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

function processesWithMarker(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => {
      try {
        return isRunning(pid) && readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(MARKER);
      } catch {
        return false;
      }
    });
}

describe('LocalProvider', () => {
  describe('create', () => {
    it('runs the command with only the essentials and the spec env, and streams its output line by line', async () => {
      const local = provider(
        'echo "run=$RUN_ID"; echo "node_options=${NODE_OPTIONS-unset} mongo=${MONGODB_URI-unset} home=$HOME"; echo oops >&2; printf "no newline at the end"; exit 3',
      );
      const spec = aSpec();
      const { pod, attempts } = await local.create(spec);

      expect(pod).toMatchObject({ id: `local-${spec.runId}-1`, name: spec.name, runId: spec.runId, status: 'running', ssh: null });
      expect(attempts).toEqual([{ at: expect.any(Date), provider: 'local', gpuType: null, outcome: 'created', message: null }]);
      const exited = await eventually(() => local.get(pod.id), (p) => p?.status === 'exited');
      expect(exited?.exitCode).toBe(3);
      await eventually(() => stdoutOf(spec.runId), (out) => out.length === 3);
      expect(stdoutOf(spec.runId)).toEqual([`run=${spec.runId}`, 'node_options=unset mongo=unset home=/tmp', 'no newline at the end']);
      expect(lines.filter((l) => l.stream === 'stderr')).toEqual([{ runId: spec.runId, stream: 'stderr', line: 'oops' }]);
    });

    it('delivers very long lines in pieces and survives a sink that throws', async () => {
      let calls = 0;
      const local = provider('printf "%025d\\nsecond\\n" 0', {
        maxLineLength: 10,
        onOutput: (runId, stream, line) => {
          if (calls++ === 0) throw new Error('sink failed');
          lines.push({ runId, stream, line });
        },
      });
      const spec = aSpec();
      await local.create(spec);
      await eventually(() => stdoutOf(spec.runId), (out) => out.includes('second'));
      expect(stdoutOf(spec.runId)).toEqual(['0000000000', '00000', 'second']);
    });

    it('throws ProvisioningFailedError when the command cannot start', async () => {
      const local = provider('', { command: ['/nonexistent/worker'] });
      const error = await local.create(aSpec()).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ProvisioningFailedError);
      expect((error as ProvisioningFailedError).retryable).toBe(false);
      expect((error as ProvisioningFailedError).attempts[0]).toMatchObject({ outcome: 'error', message: expect.stringContaining('ENOENT') });
    });
  });

  describe('waitUntilReady, get and list', () => {
    it('report live workers; list drops them once they are gone', async () => {
      const local = provider('sleep 30');
      const spec = aSpec();
      const { pod } = await local.create(spec);

      expect(await local.waitUntilReady(pod.id)).toMatchObject({ id: pod.id, status: 'running' });
      expect((await local.list()).map((p) => [p.id, p.runId])).toEqual([[pod.id, spec.runId]]);
      await local.terminate(pod.id);
      expect(await local.list()).toEqual([]);
      expect(await local.get(pod.id)).toMatchObject({ status: 'terminated', exitCode: 143 });
      expect(await local.get('local-unknown-1')).toBeNull();
      await expect(local.waitUntilReady('local-unknown-1')).rejects.toBeInstanceOf(PodNotReadyError);
    });
  });

  describe('terminate', () => {
    it('kills the whole process group, grandchildren included', async () => {
      const local = provider('sleep 1000 & echo "$$ $!"; wait');
      const spec = aSpec();
      const { pod } = await local.create(spec);
      const [worker, grandchild] = await printedPids(spec.runId);
      expect(isRunning(grandchild)).toBe(true);

      await local.terminate(pod.id);
      expect(isRunning(worker)).toBe(false);
      expect(isRunning(grandchild)).toBe(false);
    });

    it('sends SIGKILL after the grace period to a worker that ignores SIGTERM', async () => {
      const local = provider('trap "" TERM; sleep 1000 & echo "$$ $!"; wait', { terminateGraceMs: 300 });
      const spec = aSpec();
      const { pod } = await local.create(spec);
      const [, grandchild] = await printedPids(spec.runId);

      await local.terminate(pod.id);
      expect(isRunning(grandchild)).toBe(false);
      expect((await local.get(pod.id))?.exitCode).toBe(137);
    });

    it('is a no-op for an exited or unknown pod', async () => {
      const local = provider('exit 0');
      const { pod } = await local.create(aSpec());
      await eventually(() => local.get(pod.id), (p) => p?.status === 'exited');

      await expect(local.terminate(pod.id)).resolves.toBeUndefined();
      await expect(local.terminate('local-unknown-1')).resolves.toBeUndefined();
      expect((await local.get(pod.id))?.status).toBe('exited');
    });

    it('cleans up what a worker left running when it exits by itself', async () => {
      const local = provider('sleep 1000 & echo "$$ $!"; exit 0');
      const spec = aSpec();
      await local.create(spec);
      const [, grandchild] = await printedPids(spec.runId);

      await eventually(() => isRunning(grandchild), (running) => !running);
    });
  });

  describe('shutdown', () => {
    it('terminates every worker and refuses new ones', async () => {
      const local = provider('sleep 1000 & echo "$$ $!"; wait');
      const specs = [aSpec(), aSpec(), aSpec()];
      for (const spec of specs) await local.create(spec);
      const pids = (await Promise.all(specs.map((s) => printedPids(s.runId)))).flat();

      await local.shutdown();
      expect(pids.filter(isRunning)).toEqual([]);
      expect(await local.list()).toEqual([]);
      await expect(local.create(aSpec())).rejects.toBeInstanceOf(ProvisioningFailedError);
    });

    it('also stops a worker that was still starting when shutdown began', async () => {
      const local = provider('sleep 1000 & wait');
      const creating = local.create(aSpec());
      await local.shutdown();

      await expect(creating).rejects.toBeInstanceOf(ProvisioningFailedError);
      expect(await local.list()).toEqual([]);
    });
  });
});
