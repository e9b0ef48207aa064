import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * The built server (node dist/main.js, as `npm start` runs it) on a fixed port, so that clients
 * keep their URL across kills and restarts. Its output is kept (for log scans).
 */
export class ServerProcess {
  child: ChildProcess | null = null;
  output = '';
  readonly url: string;

  constructor(
    readonly port: number,
    private readonly vars: Record<string, string>,
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    // ORCH_TEST_RUN marks the server and its redis-server as this test run's, for the leak checks.
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: SERVER_DIR,
      env: { PATH: process.env.PATH, ORCH_TEST_RUN: process.env.ORCH_TEST_RUN, PORT: String(this.port), ...this.vars },
    });
    this.child = child;
    child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited during start-up:\n${this.output.slice(-3000)}`);
      try {
        if ((await fetch(`${this.url}/api/ready`)).ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`server did not become ready:\n${this.output.slice(-3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGKILL: no shutdown hook runs; its embedded redis-server is left to the next start, which stops it. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await once(child, 'exit');
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
