import { setTimeout as delay } from 'node:timers/promises';
import { uploadArtifact } from './artifacts.js';
import { seededRandom } from './experiment-model.js';
import { type DiagnosticLog, Emitter, IngestClient, type RetryPolicy } from './ingest-client.js';
import { playRun, RunStopped, type ScriptContext } from './run-script.js';
import type { WorkerConfig } from './worker-config.js';

/** Exit codes: 0 completed, 1 failed, 143 (128 + SIGTERM) stopped on request. */
export const EXIT_CODES = { completed: 0, failed: 1, stopped: 143 } as const;

export interface DemoWorkerOptions {
  /** Aborting it is SIGTERM: stop emitting, flush what is queued, return promptly. */
  signal?: AbortSignal;
  log?: DiagnosticLog;
  retry?: Partial<RetryPolicy>;
  /** After a stop, how long queued events may still be delivered before requests are cut. */
  flushTimeoutMs?: number;
  /** Log batching (defaults: 50 lines or 250 ms, like the Python workers). */
  logBatch?: { maxLines: number; flushMs: number };
}

export interface DemoWorkerResult {
  outcome: 'completed' | 'failed' | 'stopped';
  exitCode: number;
  /** Events built per CloudEvents source (= the last seq of that source). */
  emitted: Record<string, number>;
  undelivered: number;
}

/** Runs the demo worker against the orchestrator in `config` until the run ends or `signal` aborts. */
export async function runDemoWorker(config: WorkerConfig, options: DemoWorkerOptions = {}): Promise<DemoWorkerResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const signal = options.signal ?? new AbortController().signal;
  const hardStop = new AbortController();
  let cutOffTimer: NodeJS.Timeout | undefined;
  const cutOff = () => (cutOffTimer = setTimeout(() => hardStop.abort(), options.flushTimeoutMs ?? 2_000));
  if (signal.aborted) cutOff();
  else signal.addEventListener('abort', cutOff, { once: true });

  const client = new IngestClient({ baseUrl: config.orchestratorUrl, token: config.token, retry: options.retry, log, signal: hardStop.signal });
  const common = { runId: config.runId, hostname: config.hostname };
  const lifecycle = new Emitter(client, { ...common, name: 'lifecycle' });
  const logs = new Emitter(client, { ...common, name: 'logs', batch: options.logBatch ?? { maxLines: 50, flushMs: 250 } });
  const pace = config.pace;

  const ctx: ScriptContext = {
    config,
    random: config.seed === undefined ? Math.random : seededRandom(config.seed),
    emit: async (type, data) => {
      if (signal.aborted) throw new RunStopped();
      await lifecycle.emit(type, data);
    },
    log: (level, message, kv, source) => {
      if (!signal.aborted) void logs.emit('ai.run.log', { level, message, ...(kv ? { kv } : {}), ...(source ? { source } : {}) });
    },
    flushLogs: () => logs.flush(),
    sleep: async (seconds) => {
      try {
        await delay(seconds * pace * 1000, undefined, { signal });
      } catch {
        throw new RunStopped();
      }
    },
    every: (seconds, tick) => {
      const timer = setInterval(tick, seconds * pace * 1000);
      return () => clearInterval(timer);
    },
    upload: (file) => uploadArtifact(client, (type, data) => ctx.emit(type, data), config.runId, file),
  };

  log(`demo worker: run ${config.runId}, mode ${config.mode}, pace ${pace}, orchestrator ${config.orchestratorUrl}`);
  let outcome: DemoWorkerResult['outcome'];
  try {
    outcome = await playRun(ctx);
  } catch (error) {
    if (!(error instanceof RunStopped)) throw error;
    outcome = 'stopped';
  }
  await Promise.all([lifecycle.flush(), logs.flush()]);
  clearTimeout(cutOffTimer);
  signal.removeEventListener('abort', cutOff);

  const undelivered = lifecycle.stats.undelivered + logs.stats.undelivered;
  const exitCode = EXIT_CODES[outcome];
  log(`demo worker: ${outcome} (exit ${exitCode}); ${lifecycle.stats.emitted + logs.stats.emitted} events, ${undelivered} undelivered`);
  return { outcome, exitCode, emitted: { [lifecycle.source]: lifecycle.stats.emitted, [logs.source]: logs.stats.emitted }, undelivered };
}
