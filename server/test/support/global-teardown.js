import { readdirSync, readFileSync } from 'node:fs';

// Every test cleans up after itself; this checks it did, for the processes of this test run
// (marked with ORCH_TEST_RUN by the global setup; workers get it through POD_ENV).
function leftovers() {
  const marker = `ORCH_TEST_RUN=${process.env.ORCH_TEST_RUN}`;
  const found = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (Number(pid) === process.pid) continue;
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      if (!environ.includes(marker)) continue;
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      const worker = environ.some((v) => v.startsWith('RUN_TOKEN=ort_'));
      const testRedis = cmdline.startsWith('redis-server');
      if (worker || testRedis) found.push({ pid: Number(pid), cmdline });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

export default async function globalTeardown() {
  let found = leftovers();
  // Processes being stopped by the last test get a moment to exit.
  for (let i = 0; i < 20 && found.length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    found = leftovers();
  }
  if (found.length === 0) return;
  for (const { pid } of found) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  throw new Error(`tests left ${found.length} process(es) running (now killed):\n${found.map((p) => `  ${p.pid} ${p.cmdline}`).join('\n')}`);
}
