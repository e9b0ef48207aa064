import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { freePort, isMain, now, percentile, report, row, type Row, startOrchestrator, waitReady } from './harness.js';

// Start-up: from spawning the built server as `npm start` runs it (node server/dist/main.js, no
// configuration, a fresh data dir) to the first 200 from /api/ready; beside a bare node:http
// process answering the same route (what starting node itself costs).

const BARE = `require('node:http').createServer((req, res) => res.end('{"status":"ok"}')).listen(Number(process.env.PORT), '127.0.0.1')`;

async function bareStart(): Promise<number> {
  const port = await freePort();
  const started = now();
  const child = spawn(process.execPath, ['-e', BARE], { env: { PORT: String(port) }, stdio: 'ignore' });
  try {
    return await waitReady(`http://127.0.0.1:${port}`, child, started);
  } finally {
    child.kill();
    if (child.exitCode === null && child.signalCode === null) await once(child, 'exit');
  }
}

export async function startupBench(options: { trials: number }): Promise<{ rows: Row[]; context: Record<string, unknown> }> {
  const product: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < options.trials; i++) {
    const orchestrator = await startOrchestrator({ asIs: true });
    product.push(orchestrator.readyAfterMs);
    await orchestrator.stop();
    bare.push(await bareStart());
  }
  const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
  return {
    rows: [row('start-up', `node server/dist/main.js → /api/ready 200 (fresh data dir; median of ${options.trials})`, median(product), 'ms', { value: median(bare), name: 'bare node:http' })],
    context: { product, bare },
  };
}

if (isMain(import.meta.url)) {
  const { rows, context } = await startupBench({ trials: Number(process.env.BENCH_STARTUP_TRIALS ?? 3) });
  report('startup', rows, context);
}
