import { readdirSync, readFileSync } from 'node:fs';

/**
 * The processes of this test run still alive that a test may have started: servers, workers and
 * redis-servers, marked with ORCH_TEST_RUN by the global setup (workers get it through POD_ENV).
 */
export function testProcesses() {
  const marker = `ORCH_TEST_RUN=${process.env.ORCH_TEST_RUN}`;
  const found = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (Number(pid) === process.pid) continue;
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (!environ.includes(marker)) continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      const worker = environ.some((v) => v.startsWith('RUN_TOKEN=ort_'));
      if (worker || /redis-server|dist\/main\.js|demo-worker/.test(cmdline)) found.push({ pid: Number(pid), cmdline });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** Waits up to `ms` for this run's processes to be gone (the last test may be stopping them) and returns those still there. */
export async function awaitNoTestProcesses(ms = 5000) {
  const deadline = Date.now() + ms;
  let found = testProcesses();
  while (found.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    found = testProcesses();
  }
  return found;
}
