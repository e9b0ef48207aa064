import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrchestratorQueue } from '../../src/infra/queues/orchestrator.queue.js';
import { CREATE_HYPOTHESIS, createHypothesisInput } from '../support/graphql-operations.js';
import { dataOf, startTestApp, type TestApp } from '../support/test-app.js';
import { collect, wsClient } from '../support/ws-client.js';
import { allEvents, missingPerSource } from './support/run-events.js';
import { awaitNoLeftovers, Scenario, sleep } from './support/scenario.js';
import { freePort } from './support/server-process.js';

/** A redis-server this test controls: stopped and started again on the same port and data dir. */
class ControlledRedis {
  private child: ChildProcess | null = null;
  constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  get url() {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--save', '', '--loglevel', 'warning'], {
      stdio: 'ignore',
      env: { PATH: process.env.PATH, ORCH_TEST_RUN: process.env.ORCH_TEST_RUN },
    });
    for (let i = 0; i < 200; i++) {
      const ok = await new Promise<boolean>((resolve) => {
        const probe = spawn('redis-cli', ['-p', String(this.port), 'ping'], { stdio: ['ignore', 'pipe', 'ignore'] });
        let out = '';
        probe.stdout.on('data', (c: Buffer) => (out += c.toString()));
        probe.on('exit', () => resolve(out.trim() === 'PONG'));
      });
      if (ok) return;
      await sleep(50);
    }
    throw new Error('redis-server did not start');
  }

  /** SIGTERM: Redis writes its append-only file and exits, as on a restart by an operator. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

const RUN = /* GraphQL */ `
  query RedisRestartRun($id: ID!) {
    run(id: $id) {
      status errorType errorMessage
      provisioning { exitCode terminatedAt }
      events(first: 1) { totalCount }
      logs(first: 100, search: "undelivered") { nodes { message } }
    }
  }
`;

describe('Redis restarted during runs (external REDIS_URL)', () => {
  const scenario = new Scenario('redis restart during runs');
  let redisDir: string;
  let redis: ControlledRedis;
  let app: TestApp;

  beforeAll(async () => {
    redisDir = mkdtempSync(join(tmpdir(), 'orch-rel-redis-'));
    redis = new ControlledRedis(await freePort(), redisDir);
    await redis.start();
    app = await startTestApp({
      REDIS_URL: redis.url,
      PROCESS_JOBS: 'true',
      // A run of ~10 s, one at a time: the second run waits in the queue across a restart.
      MAX_POD_SLOTS: '1',
      POD_ENV: `DEMO_PACE=0.3,DEMO_SEED=11,ORCH_TEST_RUN=${process.env.ORCH_TEST_RUN}`,
      WATCHDOG_INTERVAL_S: '1',
      REAPER_INTERVAL_S: '1',
      SLOT_ACQUIRE_TIMEOUT_S: '1',
    });
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
    scenario.counts.leakedProcesses += (await awaitNoLeftovers()).length;
    scenario.record();
    rmSync(redisDir, { recursive: true, force: true });
  });

  const runOf = async (id: string) => dataOf(await app.graphql(RUN, { id })).run;
  const waitFor = async <T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 90_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read().catch(() => null);
      if (value !== null && done(value)) return value;
      if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value).slice(0, 1500)}`);
      await sleep(200);
    }
  };
  const restartRedis = async () => {
    await redis.stop();
    scenario.counts.faultsInjected++;
    // Long enough for workers' posts, the queue and the live streams to notice.
    await sleep(1500);
    await redis.start();
  };

  it('completes every run, loses no event, keeps queued jobs, and live subscribers see every event exactly once', async () => {
    const first = dataOf(await app.graphql(CREATE_HYPOTHESIS, createHypothesisInput())).createHypothesis.run.id as string;
    const second = dataOf(await app.graphql(CREATE_HYPOTHESIS, createHypothesisInput())).createHypothesis.run.id as string;

    // One subscriber stays connected throughout; another leaves and comes back with its last seq.
    const steady = wsClient(app.url);
    const resuming = wsClient(app.url);
    const subscription = 'subscription($id: ID!, $after: Int) { runEventAppended(runId: $id, afterSeq: $after) { seq type } }';
    type Item = { seq: number; type: string };
    const live = collect<Item>(steady, subscription, { id: first, after: 0 }, () => false, 'runEventAppended');
    const part1 = collect<Item>(resuming, subscription, { id: first, after: 0 }, (items) => items.length >= 20, 'runEventAppended');

    try {
      await waitFor(() => runOf(first), (r) => r.status === 'RUNNING');
      const waiting = await app.app.get(OrchestratorQueue).find(second);
      expect(waiting?.state).toMatch(/waiting|delayed|active|prioritized/);
      await sleep(1500);
      await restartRedis();

      const before = await part1.done;
      const part2 = collect<Item>(resuming, subscription, { id: first, after: before.at(-1)!.seq }, () => false, 'runEventAppended');

      await waitFor(() => runOf(first), (r) => r.provisioning?.exitCode !== null && r.provisioning?.exitCode !== undefined);
      // The queued run gets the slot once the first run's worker is gone, and runs through a second restart.
      await waitFor(() => runOf(second), (r) => r.status === 'RUNNING');
      await sleep(1500);
      await restartRedis();
      await waitFor(() => runOf(second), (r) => r.provisioning?.exitCode !== null && r.provisioning?.exitCode !== undefined);

      for (const id of [first, second]) {
        const run = await runOf(id);
        expect({ status: run.status, exitCode: run.provisioning.exitCode, errorType: run.errorType }).toEqual({ status: 'AWAITING_HUMAN', exitCode: 0, errorType: null });
        // The worker says how many of its events it could not deliver.
        const summary = run.logs.nodes.map((n: { message: string }) => n.message).find((m: string) => /events, \d+ undelivered/.test(m));
        expect(summary).toMatch(/, 0 undelivered/);
        const events = await allEvents(app, id);
        scenario.counts.eventsLost += missingPerSource(events);
        const workerEvents = events.filter((e) => e.source.startsWith('worker://'));
        scenario.counts.eventsDoubleApplied += workerEvents.length - new Set(workerEvents.map((e) => `${e.source}#${e.sourceSeq}`)).size;
        // What the worker's client retried (its diagnostics are the run's pod-console lines).
        const retries = events.filter((e) => e.source === 'pod-console' && /; retry \d+/.test(String(e.data.message)));
        for (const retry of retries) {
          const status = /HTTP (\d{3})/.exec(String(retry.data.message))?.[1];
          if (status) scenario.response(Number(status));
          else scenario.counts.requestsSent++;
        }
        scenario.counts.requestsSent += workerEvents.length;
        scenario.details[`retries-${id === first ? 'first' : 'second'}`] = retries.map((r) => String(r.data.message).slice(0, 160)).slice(0, 10);
      }

      // Both subscribers of the first run: every stored event once, in order, nothing after a gap.
      const stored = (await allEvents(app, first)).map((e) => e.seq);
      const last = stored.at(-1)!;
      await waitFor(async () => live.items.at(-1)?.seq ?? 0, (seq) => seq >= last, 15_000);
      await waitFor(async () => part2.items.at(-1)?.seq ?? 0, (seq) => seq >= last, 15_000);
      live.stop();
      part2.stop();
      const steadySeqs = live.items.map((i) => i.seq).filter((s) => s <= last);
      const resumedSeqs = [...before, ...part2.items].map((i) => i.seq).filter((s) => s <= last);
      for (const seqs of [steadySeqs, resumedSeqs]) {
        scenario.counts.eventsLost += stored.filter((s) => !seqs.includes(s)).length;
        scenario.counts.eventsDoubleApplied += seqs.length - new Set(seqs).size;
        expect(seqs).toEqual(stored);
      }
      scenario.details.subscriberEvents = steadySeqs.length;
    } finally {
      await steady.dispose();
      await resuming.dispose();
    }
    expect(scenario.counts.faultsInjected).toBe(2);
    expect(scenario.counts.eventsLost).toBe(0);
    expect(scenario.counts.eventsDoubleApplied).toBe(0);
    expect(scenario.counts.serverErrors).toBe(0);
  });
});
