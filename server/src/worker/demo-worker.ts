import { runDemoWorker } from './run-demo-worker.js';
import { loadWorkerConfig, WorkerConfigError } from './worker-config.js';

// Entry point: `node server/dist/worker/demo-worker.js` with RUN_ID, ORCHESTRATOR_URL, RUN_TOKEN,
// and optionally WORKER_MODE, DEMO_PACE, DEMO_FAIL_AT, DEMO_SEED. Exit codes: 0 completed,
// 1 failed (or bad configuration), 143 stopped by SIGTERM/SIGINT after flushing queued events.
async function main(): Promise<number> {
  const config = loadWorkerConfig(process.env);
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  process.once('SIGINT', () => stop.abort());
  const result = await runDemoWorker(config, { signal: stop.signal });
  return result.exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof WorkerConfigError ? error.message : `demo worker crashed: ${(error as Error).stack ?? String(error)}`}\n`);
    process.exit(1);
  },
);
