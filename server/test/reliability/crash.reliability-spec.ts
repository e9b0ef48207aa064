import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CloudEvent, IngestClient } from '../../src/worker/ingest-client.js';
import { RUN_STATE } from '../support/ingest.js';
import { type Envelope, retarget, simulatedRun } from '../support/simulated-run.js';
import { awaitNoLeftovers, envInt, Scenario, sleep } from './support/scenario.js';
import { freePort, ServerProcess } from './support/server-process.js';

// RELIABILITY_EVENTS events over RELIABILITY_RUNS runs, posted while the server is SIGKILLed
// RELIABILITY_KILLS times; CI runs a shortened pass with smaller numbers.
const TOTAL_EVENTS = envInt('RELIABILITY_EVENTS', 200_000);
const RUNS = envInt('RELIABILITY_RUNS', 8);
const KILLS = envInt('RELIABILITY_KILLS', 10);
const SEED = envInt('RELIABILITY_SEED', 20260101);
const LOGS_PER_NODE = 20;

/** A small deterministic generator, so a failing pass can be replayed with the same RELIABILITY_SEED. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Batches of 100 to 5,000 lines, as workers of every size send them. */
function batches(events: Envelope[], next: () => number): Envelope[][] {
  const out: Envelope[][] = [];
  for (let i = 0; i < events.length; ) {
    const size = 100 + Math.floor(next() * 4901);
    out.push(events.slice(i, i + size));
    i += size;
  }
  return out;
}

describe('crash safety: the server SIGKILLed at random moments during a large replay', () => {
  const scenario = new Scenario(`crash: ${TOTAL_EVENTS} events, ${KILLS} SIGKILLs`);
  let dataDir: string;
  let server: ServerProcess;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'orch-rel-crash-'));
    server = new ServerProcess(await freePort(), {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      PROCESS_JOBS: 'false',
      // This scenario is about crashes; the rate limit has its own.
      INGEST_RATE_PER_S: '0',
    });
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
    scenario.counts.leakedProcesses += (await awaitNoLeftovers()).length;
    scenario.record();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const gql = async (query: string, variables: Record<string, unknown> = {}) => {
    const response = await scenario.fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data: any; errors?: unknown };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
  const newRun = async () => {
    const { createHypothesis } = await gql('mutation { createHypothesis(input: { title: "Crash replay", idea: "Survives SIGKILLs." }) { run { id } } }');
    const runId = createHypothesis.run.id as string;
    const { issueRunToken } = await gql('mutation($id: ID!) { issueRunToken(runId: $id) { token } }', { id: runId });
    return { runId, token: issueRunToken.token as string };
  };
  const state = async (runId: string) => JSON.parse(JSON.stringify((await gql(RUN_STATE, { id: runId })).run).replaceAll(runId, '<run>'));

  /** A worker's client (the demo worker's, with its retries) posting one run's batches in order. */
  const replay = async (run: { runId: string; token: string }, runBatches: Envelope[][], onAcked: (n: number) => void) => {
    const client = new IngestClient({
      baseUrl: server.url,
      token: run.token,
      retry: { maxAttempts: 200, baseDelayMs: 100, maxDelayMs: 1000, requestTimeoutMs: 120_000 },
      log: (line) => {
        // One line per failed attempt: what the server answered, or a connection that failed (it was down).
        const status = /HTTP (\d{3})/.exec(line)?.[1];
        if (status) scenario.response(Number(status));
        else scenario.counts.requestsSent++;
      },
    });
    for (const batch of runBatches) {
      const delivery = await client.sendBatch(batch as unknown as CloudEvent[]);
      scenario.counts.requestsSent++;
      if (!delivery.ok || delivery.status !== 202) throw new Error(`batch not delivered: ${JSON.stringify(delivery).slice(0, 500)}`);
      onAcked(batch.length);
    }
  };

  it('stores every event once and projects the same state as a clean replay', async () => {
    const next = random(SEED);
    const nodesPerStage = Math.max(4, Math.round((TOTAL_EVENTS / RUNS - 30) / (7 + LOGS_PER_NODE)));
    const crashed = await Promise.all(Array.from({ length: RUNS }, () => newRun()));
    const events = crashed.map(({ runId }) => simulatedRun(runId, { nodesPerStage, logsPerNode: LOGS_PER_NODE }));
    const plans = events.map((runEvents) => batches(runEvents, next));
    const total = events.reduce((n, e) => n + e.length, 0);
    scenario.details.events = total;
    scenario.details.batches = plans.reduce((n, p) => n + p.length, 0);

    // Kills land at random points of the replay (by events acknowledged), then a random moment later.
    const thresholds = Array.from({ length: KILLS }, () => 0.03 + next() * 0.94).sort((a, b) => a - b);
    let acked = 0;
    let replaying = true;
    const killer = (async () => {
      for (const threshold of thresholds) {
        while (replaying && acked < threshold * total) await sleep(10);
        if (!replaying) break;
        await sleep(next() * 400);
        await server.kill();
        scenario.counts.faultsInjected++;
        await sleep(next() * 500);
        await server.start();
      }
    })();
    const started = Date.now();
    try {
      await Promise.all(crashed.map((run, i) => replay(run, plans[i], (n) => (acked += n))));
    } finally {
      replaying = false;
      await killer;
    }
    scenario.details.replaySeconds = (Date.now() - started) / 1000;
    expect(scenario.counts.faultsInjected).toBe(KILLS);

    // The same events, the same batches, no faults: what the crashed runs must look like.
    const clean = await Promise.all(crashed.map(() => newRun()));
    await Promise.all(clean.map((run, i) => replay(run, plans[i].map((batch) => retarget(batch, run.runId)), () => undefined)));
    for (const [i, run] of crashed.entries()) {
      const [got, want] = [await state(run.runId), await state(clean[i].runId)];
      for (const key of ['nodeHistory', 'nodes', 'metrics', 'stages', 'artifacts', 'validations', 'statusHistory'] as const) {
        scenario.counts.eventsDoubleApplied += Math.max(0, (got[key]?.length ?? 0) - (want[key]?.length ?? 0));
      }
      expect(got).toEqual(want);
    }

    // The stored events themselves: every one once, numbered without a gap, all projected.
    await server.stop();
    const db = new Database(join(dataDir, 'orchestrator.sqlite'), { readonly: true });
    try {
      for (const [i, run] of crashed.entries()) {
        const stored = db.prepare<[string], { id: string }>("SELECT id FROM events WHERE run_id = ? AND source != 'orchestrator'").all(run.runId).map((r) => r.id);
        const expected = new Set(events[i].map((e) => e.id));
        const storedSet = new Set(stored);
        scenario.counts.eventsLost += [...expected].filter((id) => !storedSet.has(id)).length;
        scenario.counts.eventsDoubleApplied += stored.length - storedSet.size;
        const positions = db.prepare<[string], { last_seq: number; applied_seq: number; n: number; top: number }>(
          'SELECT last_seq, applied_seq, (SELECT count(*) FROM events WHERE run_id = p.run_id) AS n, (SELECT max(seq) FROM events WHERE run_id = p.run_id) AS top FROM event_positions p WHERE run_id = ?',
        ).get(run.runId)!;
        expect(positions.applied_seq).toBe(positions.last_seq);
        expect(positions.n).toBe(positions.top);
        expect(stored.filter((id) => !expected.has(id))).toEqual([]);
      }
    } finally {
      db.close();
    }
    expect(scenario.counts.eventsLost).toBe(0);
    expect(scenario.counts.eventsDoubleApplied).toBe(0);
    expect(scenario.counts.serverErrors).toBe(0);
  });
});
