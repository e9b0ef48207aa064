import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ComputeProvider,
  PodNotReadyError,
  PodSpec,
  ProviderPod,
  ProvisionAttempt,
  ProvisionedPod,
  ProvisioningFailedError,
} from '../compute-provider.js';

export type OutputSink = (runId: string, stream: 'stdout' | 'stderr', line: string) => void;

export interface LocalProviderOptions {
  /** The worker's argv, e.g. [process.execPath, 'dist/worker/demo-worker.js']. */
  command: string[];
  cwd?: string;
  /** The server's environment; only PATH, HOME, locale, TZ and TMPDIR are passed on, never NODE_OPTIONS or secrets. */
  hostEnv: Record<string, string | undefined>;
  /** Receives the worker's output line by line. */
  onOutput?: OutputSink;
  /** Called once the worker and its process group are gone, however it ended. */
  onExit?: (pod: ProviderPod) => void;
  /** Between SIGTERM and SIGKILL to the worker's process group (default 10 s). */
  terminateGraceMs?: number;
  /** Longer lines are delivered in pieces (default 16 KiB). */
  maxLineLength?: number;
}

interface LocalChild {
  id: string;
  name: string;
  runId: string;
  /** The child leads its own process group (detached), so the group id is its pid. */
  pgid: number;
  exited: boolean;
  closed: boolean;
  exitCode: number | null;
  terminated: boolean;
  stopping?: Promise<void>;
}

const INHERITED_ENV = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR'];
const KEPT_EXITED = 100;
const POLL_MS = 50;
const KILL_WAIT_MS = 5_000;

/** Workers as child processes on this machine: development, tests, and installs without a GPU account. */
export class LocalProvider implements ComputeProvider {
  readonly name = 'local' as const;
  private readonly children = new Map<string, LocalChild>();
  private counter = 0;
  private shutDown = false;

  constructor(private readonly options: LocalProviderOptions) {
    if (options.command.length === 0) throw new Error('LocalProvider needs a command');
  }

  async create(spec: PodSpec): Promise<ProvisionedPod> {
    const attempt = (outcome: ProvisionAttempt['outcome'], message: string | null): ProvisionAttempt => ({
      at: new Date(),
      provider: 'local',
      gpuType: null,
      outcome,
      message,
    });
    if (this.shutDown) throw new ProvisioningFailedError('local', [attempt('error', 'the local provider is shut down')], false);

    const id = `local-${spec.runId}-${++this.counter}`;
    const [file, ...args] = this.options.command;
    const child = spawn(file, args, {
      cwd: this.options.cwd,
      env: this.envFor(spec),
      // Its own process group: terminate() can signal the worker and everything it started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const failed = await new Promise<Error | null>((resolve) => {
      child.once('spawn', () => resolve(null));
      child.once('error', resolve);
    });
    if (failed || child.pid === undefined) {
      throw new ProvisioningFailedError('local', [attempt('error', `could not start ${file}: ${failed?.message ?? 'no pid'}`)], false);
    }
    // Later errors (a signal to a process that just died) must not crash the server.
    child.on('error', () => undefined);

    const record: LocalChild = { id, name: spec.name, runId: spec.runId, pgid: child.pid, exited: false, closed: false, exitCode: null, terminated: false };
    this.children.set(id, record);
    this.forward(record, 'stdout', child.stdout);
    this.forward(record, 'stderr', child.stderr);
    child.once('exit', (code, signal) => {
      record.exited = true;
      // Killed by a signal: 128 + its number, as shells report it.
      record.exitCode = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : null);
      // Whatever the worker left running in its group goes with it.
      record.stopping ??= this.stop(record);
      void record.stopping.then(() => {
        try {
          this.options.onExit?.(this.toPod(record));
        } catch {
          // The listener's failure is its own; the process is gone either way.
        }
      });
      this.forgetOldExited();
    });
    child.once('close', () => (record.closed = true));
    if (this.shutDown) {
      // shutdown() ran while this process was starting and could not see it.
      await this.terminate(id);
      throw new ProvisioningFailedError('local', [attempt('error', 'the local provider is shut down')], false);
    }
    return { pod: this.toPod(record), attempts: [attempt('created', null)] };
  }

  /** A local pod is ready once its process started; one that already finished is returned as exited. */
  async waitUntilReady(podId: string): Promise<ProviderPod> {
    const record = this.children.get(podId);
    if (!record) throw new PodNotReadyError('local', podId, null, 'no such process');
    return this.toPod(record);
  }

  async get(podId: string): Promise<ProviderPod | null> {
    const record = this.children.get(podId);
    return record ? this.toPod(record) : null;
  }

  async list(): Promise<ProviderPod[]> {
    return [...this.children.values()].filter((record) => !record.exited).map((record) => this.toPod(record));
  }

  async terminate(podId: string): Promise<void> {
    const record = this.children.get(podId);
    if (!record) return;
    if (!record.exited) record.terminated = true;
    record.stopping ??= this.stop(record);
    await record.stopping;
  }

  /** Terminates every worker; the app calls it on close. Later create() calls fail. */
  async shutdown(): Promise<void> {
    this.shutDown = true;
    await Promise.all([...this.children.keys()].map((id) => this.terminate(id)));
  }

  private async stop(record: LocalChild): Promise<void> {
    const done = () => record.exited && record.closed && !groupAlive(record.pgid);
    signalGroup(record.pgid, 'SIGTERM');
    if (await waitUntil(done, this.options.terminateGraceMs ?? 10_000)) return;
    signalGroup(record.pgid, 'SIGKILL');
    // Bounded: a descendant that left the group (setsid) could hold the pipes open forever.
    await waitUntil(done, KILL_WAIT_MS);
  }

  private toPod(record: LocalChild): ProviderPod {
    return {
      id: record.id,
      name: record.name,
      runId: record.runId,
      status: !record.exited ? 'running' : record.terminated ? 'terminated' : 'exited',
      gpuType: null,
      region: null,
      costPerHour: 0,
      ssh: null,
      exitCode: record.exitCode,
    };
  }

  private envFor(spec: PodSpec): Record<string, string> {
    const env: Record<string, string> = {};
    for (const key of INHERITED_ENV) {
      const value = this.options.hostEnv[key];
      if (value !== undefined) env[key] = value;
    }
    return { ...env, ...spec.env };
  }

  private forward(record: LocalChild, stream: 'stdout' | 'stderr', source: Readable | null): void {
    const sink = this.options.onOutput;
    if (!source) return;
    if (!sink) {
      source.resume();
      return;
    }
    splitLines(source, this.options.maxLineLength ?? 16_384, (line) => {
      try {
        sink(record.runId, stream, line);
      } catch {
        // A failing sink must not stop the stream (or the worker, blocked on a full pipe).
      }
    });
  }

  private forgetOldExited(): void {
    // Kept for get() after the fact; a record still being stopped finishes fine once forgotten.
    const exited = [...this.children.values()].filter((record) => record.exited);
    for (const record of exited.slice(0, Math.max(0, exited.length - KEPT_EXITED))) this.children.delete(record.id);
  }
}

function splitLines(source: Readable, maxLength: number, emit: (line: string) => void): void {
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  const emitLine = (line: string) => {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    for (let i = 0; i < text.length || i === 0; i += maxLength) emit(text.slice(i, i + maxLength));
  };
  source.on('data', (chunk: Buffer) => {
    buffer += decoder.write(chunk);
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      emitLine(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
    }
    // Without a newline in sight, do not buffer without bound.
    while (buffer.length >= maxLength) {
      emit(buffer.slice(0, maxLength));
      buffer = buffer.slice(maxLength);
    }
  });
  source.on('end', () => {
    buffer += decoder.end();
    if (buffer) emitLine(buffer);
    buffer = '';
  });
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  // Only while the group has live members: an empty group's id could be reused by a stranger.
  if (!groupAlive(pgid)) return;
  try {
    process.kill(-pgid, signal);
  } catch {
    // Gone in between.
  }
}

/** Whether any non-zombie process is still in the group (zombies cannot be killed, only reaped by their parent). */
function groupAlive(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return signalZero(-pgid);
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses, so read after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
  }
  return false;
}

function signalZero(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
  return true;
}
