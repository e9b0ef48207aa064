import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Tests that run the built server or the bundled demo worker as processes need server/dist.
// One build per test run, before any test file starts, so no two files compile at once.
// Type errors are reported by `npm run typecheck`; tsc still writes the JavaScript.
export default function globalSetup() {
  // Marks every process this test run starts (inherited by jest workers and what they spawn), so
  // the teardown can find leftovers of this run and of no other.
  process.env.ORCH_TEST_RUN = randomUUID();
  const server = join(dirname(fileURLToPath(import.meta.url)), '../..');
  const build = spawnSync(join(server, '../node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: server, encoding: 'utf8' });
  if (build.status !== 0) process.stderr.write(`\nserver build reported problems (tests use what it wrote):\n${build.stdout}${build.stderr}\n`);
}
