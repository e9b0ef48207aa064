import { awaitNoTestProcesses } from './test-processes.js';

// Every test cleans up after itself; this checks it did, for the processes of this test run.
export default async function globalTeardown() {
  const found = await awaitNoTestProcesses();
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
