import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A worker script of test/support/workers, as a WORKER_COMMAND. */
export const testWorker = (name: string) => `${process.execPath} ${join(fileURLToPath(new URL('.', import.meta.url)), 'workers', name)}`;

/** Job processing on, the demo worker at test pace, timers short enough for tests. */
export const PODS_ENV = {
  PROCESS_JOBS: 'true',
  // ORCH_TEST_RUN lets the global teardown find workers a test failed to stop.
  POD_ENV: `DEMO_PACE=0.1,DEMO_SEED=7,ORCH_TEST_RUN=${process.env.ORCH_TEST_RUN ?? 'none'}`,
  WATCHDOG_INTERVAL_S: '1',
  REAPER_INTERVAL_S: '1',
  SLOT_ACQUIRE_TIMEOUT_S: '1',
};
