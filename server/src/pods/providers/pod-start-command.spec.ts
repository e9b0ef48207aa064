import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildPodStartScript, podStartCommand, PodStartOptions, shellQuote } from './pod-start-command.js';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;
let bin: string;

// A runpodctl that records its arguments (one call per line, tab-separated) and exits as told.
const FAKE_RUNPODCTL = `#!/bin/bash
(IFS=$'\\t'; printf '%s\\n' "$*") >>"$FAKE_RUNPODCTL_LOG"
exit "\${FAKE_RUNPODCTL_EXIT:-0}"
`;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pod-start-'));
  bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'runpodctl'), FAKE_RUNPODCTL);
  chmodSync(join(bin, 'runpodctl'), 0o755);
});

afterEach(() => rmSync(dir, { recursive: true, force: true }));

function script(overrides: Partial<PodStartOptions> = {}): string {
  return buildPodStartScript({
    setupScripts: [],
    workerCommand: ['true'],
    startedMarkerPath: join(dir, 'volume', 'started'),
    terminateRetryDelaySeconds: 0,
    // Never the default `kill 1` in a test: PID 1 here is the machine's init.
    fallbackStopCommand: `echo fallback >>${shellQuote(join(dir, 'fallback'))}`,
    ...overrides,
  });
}

/** Runs the script as RunPod would (bash -c; -l would reset PATH from /etc/profile on Debian). */
function start(text: string, env: Record<string, string> = {}) {
  const child = spawn('bash', ['-c', text], {
    cwd: dir,
    env: {
      PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`,
      HOME: dir,
      RUNPOD_POD_ID: 'pod-123',
      FAKE_RUNPODCTL_LOG: join(dir, 'runpodctl.log'),
      OUT: join(dir, 'out'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Result>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
  return { child, done };
}

const run = (text: string, env: Record<string, string> = {}) => start(text, env).done;
const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '');
const runpodctlCalls = () => read('runpodctl.log').split('\n').filter(Boolean);

describe('podStartCommand', () => {
  it('is bash -lc with a script that removes the pod through runpodctl, never curl | bash or git pull', () => {
    const [shell, flag, text] = podStartCommand({ setupScripts: ['echo hi'], workerCommand: ['node', 'worker.js'] });
    expect([shell, flag]).toEqual(['bash', '-lc']);
    expect(text).toContain('runpodctl remove pod "$RUNPOD_POD_ID"');
    expect(text).toContain('kill 1');
    expect(text).toContain('/workspace/.orchestrator-worker-started');
    expect(text).not.toMatch(/curl|git pull/);
  });

  it('refuses an empty worker command and non-integer retry settings', () => {
    expect(() => buildPodStartScript({ setupScripts: [], workerCommand: [] })).toThrow(/workerCommand/);
    expect(() => buildPodStartScript({ setupScripts: [], workerCommand: ['x'], terminateRetryDelaySeconds: 1.5 })).toThrow(/integer/);
  });
});

describe('the pod start script', () => {
  it('runs the setup scripts in order, then the worker, then removes the pod and keeps the worker exit code', async () => {
    const result = await run(
      script({
        setupScripts: ['echo one >>"$OUT"', 'echo two >>"$OUT"'],
        workerCommand: ['bash', '-c', 'echo worker >>"$OUT"; exit 7'],
      }),
    );
    expect(read('out')).toBe('one\ntwo\nworker\n');
    expect(result.code).toBe(7);
    expect(runpodctlCalls()).toEqual(['remove\tpod\tpod-123']);
  });

  it('removes the pod after a successful worker too', async () => {
    const result = await run(script({ workerCommand: ['true'] }));
    expect(result.code).toBe(0);
    expect(runpodctlCalls()).toEqual(['remove\tpod\tpod-123']);
  });

  it('stops at the first failing setup script, skips the worker and still removes the pod', async () => {
    const result = await run(
      script({
        setupScripts: ['echo one >>"$OUT"', 'false; echo after-false >>"$OUT"', 'echo three >>"$OUT"'],
        workerCommand: ['bash', '-c', 'echo worker >>"$OUT"'],
      }),
    );
    expect(read('out')).toBe('one\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('setup script 2 failed with exit code 1');
    expect(runpodctlCalls()).toEqual(['remove\tpod\tpod-123']);
  });

  it('passes every worker argument through literally, whatever it contains', async () => {
    const args = [`it's`, 'two words', '$(touch pwned)', '`touch pwned`', '$HOME', 'line\nbreak', '"quoted"', '\\', ';', '*', ''];
    const result = await run(script({ workerCommand: ['node', '-e', 'console.log(JSON.stringify(process.argv.slice(1)))', ...args] }), {
      PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(args);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });

  it('runs setup scripts as shell code, with quotes intact', async () => {
    await run(script({ setupScripts: [`msg='it'"'"'s "fine"'; echo "$msg" >>"$OUT"`] }));
    expect(read('out')).toBe(`it's "fine"\n`);
  });

  it('tries runpodctl again, then falls back, when the pod cannot be removed', async () => {
    const result = await run(script({ workerCommand: ['bash', '-c', 'exit 3'], terminateRetries: 3 }), { FAKE_RUNPODCTL_EXIT: '1' });
    expect(runpodctlCalls()).toHaveLength(3);
    expect(read('fallback')).toBe('fallback\n');
    expect(result.code).toBe(3);
  });

  it('neither calls runpodctl nor the fallback outside a RunPod pod', async () => {
    const result = await run(script({ workerCommand: ['bash', '-c', 'exit 4'] }), { RUNPOD_POD_ID: '' });
    expect(result.code).toBe(4);
    expect(runpodctlCalls()).toEqual([]);
    expect(read('fallback')).toBe('');
  });

  it('does not run the worker twice when the container restarts', async () => {
    const text = script({ setupScripts: ['echo setup >>"$OUT"'], workerCommand: ['bash', '-c', 'echo worker >>"$OUT"'] });
    await run(text);
    const second = await run(text);
    expect(read('out')).toBe('setup\nworker\n');
    expect(second.stderr).toContain('already started');
    expect(runpodctlCalls()).toEqual(['remove\tpod\tpod-123', 'remove\tpod\tpod-123']);
  });

  it('passes a stop signal on to the worker and still removes the pod', async () => {
    const worker = 'trap \'echo got-term >>"$OUT"; exit 9\' TERM; touch "$OUT.ready"; while :; do sleep 0.05; done';
    const { child, done } = start(script({ workerCommand: ['bash', '-c', worker] }));
    for (let i = 0; i < 200 && !existsSync(join(dir, 'out.ready')); i++) await sleep(25);
    child.kill('SIGTERM');
    const result = await done;
    expect(read('out')).toBe('got-term\n');
    expect(result.code).toBe(143);
    expect(runpodctlCalls()).toEqual(['remove\tpod\tpod-123']);
  });
});
