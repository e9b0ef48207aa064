import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedRedis } from '../../src/infra/redis/embedded-redis.js';
import { CANCEL_RUN, CREATE_HYPOTHESIS, createHypothesisInput } from '../support/graphql-operations.js';
import { postBatch, startedRun } from '../support/ingest.js';
import { dataOf, startTestApp, type TestApp } from '../support/test-app.js';
import { collect, wsClient } from '../support/ws-client.js';

const EVENTS_SUB = `subscription($runId: ID!, $afterSeq: Int, $types: [String!]) {
  runEventAppended(runId: $runId, afterSeq: $afterSeq, types: $types) { seq id type data }
}`;
const LOGS_SUB = `subscription($runId: ID!, $afterSeq: Int, $levels: [LogLevel!]) {
  runLogAppended(runId: $runId, afterSeq: $afterSeq, levels: $levels) { seq level message }
}`;

function logEvents(runId: string, count: number, from = 0, level = (i: number) => (i % 10 === 0 ? 'error' : 'info')) {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      specversion: '1.0',
      id: `log-${runId}-${i}`,
      source: 'worker://live/logs',
      type: 'ai.run.log',
      subject: `run/${runId}`,
      time: new Date(Date.UTC(2026, 0, 1) + i).toISOString(),
      data: { level: level(i), message: `line ${i}` },
      extensions: { seq: i + 1 },
    };
  });
}

const waitFor = async (check: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('live updates over graphql-ws', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('delivers appended events live, in order, filtered by type', async () => {
    const { runId, token } = await startedRun(app);
    const client = wsClient(app.url);
    const all = collect<{ seq: number }>(client, EVENTS_SUB, { runId }, (items) => items.length === 20, 'runEventAppended');
    const errors = collect<{ seq: number; type: string }>(client, EVENTS_SUB, { runId, types: ['ai.run.log'] }, (items) => items.length === 20, 'runEventAppended');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await postBatch(app, logEvents(runId, 20), token);
    const seqs = (await all.done).map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => seqs[0] + i));
    expect((await errors.done).every((e) => e.type === 'ai.run.log')).toBe(true);
    await client.dispose();
  });

  it('replays what is stored after afterSeq, then continues live, without a gap or a repeat at the seam', async () => {
    const { runId, token } = await startedRun(app);
    await postBatch(app, logEvents(runId, 30), token);
    const client = wsClient(app.url);
    const logs = collect<{ seq: number; message: string; level: string }>(client, LOGS_SUB, { runId, afterSeq: 0, levels: ['ERROR'] }, (items) => items.length === 6, 'runLogAppended');
    await waitFor(() => logs.items.length === 3);
    await postBatch(app, logEvents(runId, 30, 30), token);
    expect((await logs.done).map((l) => l.message)).toEqual(['line 0', 'line 10', 'line 20', 'line 30', 'line 40', 'line 50']);
    await client.dispose();
  });

  it('loses no event when a subscriber reconnects with its last seq while 10,000 events stream', async () => {
    const { runId, token } = await startedRun(app);
    const total = 10_000;
    const received: number[] = [];
    let client = wsClient(app.url);
    let subscription = collect<{ seq: number }>(client, EVENTS_SUB, { runId, afterSeq: 0 }, () => false, 'runEventAppended');

    const producing = (async () => {
      for (let i = 0; i < total; i += 500) {
        const response = await postBatch(app, logEvents(runId, 500, i), token);
        expect(response.body.accepted).toBe(500);
      }
    })();

    // Drop the connection three times mid-stream; each time resume from the last seq seen.
    for (const dropAt of [1500, 4000, 7000]) {
      await waitFor(() => received.length + subscription.items.length >= dropAt, 30_000);
      subscription.stop();
      await client.dispose();
      received.push(...subscription.items.map((e) => e.seq));
      client = wsClient(app.url);
      subscription = collect<{ seq: number }>(client, EVENTS_SUB, { runId, afterSeq: received.at(-1) }, () => false, 'runEventAppended');
    }
    await producing;
    await waitFor(() => received.length + subscription.items.length >= total + 2, 30_000);
    received.push(...subscription.items.map((e) => e.seq));
    subscription.stop();
    await client.dispose();
    // Seq 1 and 2 are the orchestrator's own status changes (SCHEDULED, STARTING).
    expect(received).toHaveLength(total + 2);
    expect(received).toEqual(Array.from({ length: total + 2 }, (_, i) => i + 1));
  }, 120_000);

  it('publishes runUpdated after a change and runsChanged for new and changed runs', async () => {
    const { runId, token } = await startedRun(app);
    const client = wsClient(app.url);
    const updated = collect<{ id: string; status: string }>(
      client,
      `subscription($runId: ID!) { runUpdated(runId: $runId) { id status lastEventSeq } }`,
      { runId },
      (items) => items.some((r) => r.status === 'RUNNING'),
      'runUpdated',
    );
    const changed = collect<{ id: string; status: string }>(client, `subscription { runsChanged { id status } }`, {}, () => false, 'runsChanged');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await postBatch(
      app,
      [{ specversion: '1.0', id: `start-${runId}`, source: 'w', type: 'ai.run.started', subject: `run/${runId}`, time: new Date().toISOString(), data: { pod_id: 'p' } }],
      token,
    );
    expect((await updated.done).at(-1)).toMatchObject({ id: runId, status: 'RUNNING' });
    const created = dataOf(await app.graphql(CREATE_HYPOTHESIS, createHypothesisInput())).createHypothesis.run;
    await waitFor(() => changed.items.some((r) => r.id === created.id && r.status === 'QUEUED'));
    dataOf(await app.graphql(CANCEL_RUN, { id: created.id }));
    await waitFor(() => changed.items.some((r) => r.id === created.id && r.status === 'CANCELED'));
    expect(changed.items.some((r) => r.id === runId && r.status === 'RUNNING')).toBe(true);
    changed.stop();
    await client.dispose();
  });

  it('records the orchestrator\'s own status changes in the feed', async () => {
    const { run } = dataOf(await app.graphql(CREATE_HYPOTHESIS, createHypothesisInput())).createHypothesis;
    dataOf(await app.graphql(CANCEL_RUN, { id: run.id, reason: 'not needed' }));
    await waitFor(() => false, 300).catch(() => undefined);
    const events = dataOf(await app.graphql(`query($id: ID!) { run(id: $id) { events { nodes { type source data } } } }`, { id: run.id })).run.events.nodes;
    expect(events).toEqual([
      { type: 'ai.run.status_changed', source: 'orchestrator', data: { from: 'QUEUED', to: 'CANCELED', reason: 'not needed', by: 'anonymous' } },
    ]);
  });

  it('reports an unknown run to a subscriber as NOT_FOUND', async () => {
    const client = wsClient(app.url);
    const sub = collect(client, EVENTS_SUB, { runId: '00000000-0000-4000-8000-000000000000' }, () => true, 'runEventAppended');
    await expect(sub.done).rejects.toThrow(/NOT_FOUND/);
    await client.dispose();
  });
});

describe('subscriptions with API tokens', () => {
  it('refuses a connection without a valid token and accepts one with it', async () => {
    const operator = 'ops-token-0123456789abcdef';
    const app = await startTestApp({ API_TOKENS: `ops:${operator}` });
    try {
      const anonymous = wsClient(app.url);
      const refused = collect(anonymous, `subscription { runsChanged { id } }`, {}, () => true, 'runsChanged');
      await expect(refused.done).rejects.toMatchObject({ code: 4403 });
      await anonymous.dispose();

      const client = wsClient(app.url, operator);
      const changed = collect<{ id: string }>(client, `subscription { runsChanged { id } }`, {}, () => true, 'runsChanged');
      await new Promise((resolve) => setTimeout(resolve, 200));
      dataOf(await app.graphql(CREATE_HYPOTHESIS, createHypothesisInput(), operator));
      expect((await changed.done)[0].id).toEqual(expect.any(String));
      await client.dispose();
    } finally {
      await app.close();
    }
  });
});

describe('several server instances', () => {
  it('delivers an event posted to one instance to a subscriber of the other', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-two-'));
    const redis = await EmbeddedRedis.start(join(dir, 'redis'));
    const shared = { REDIS_URL: redis.url };
    const a = await startTestApp(shared, { dataDir: dir, keepData: true });
    const b = await startTestApp(shared, { dataDir: dir, keepData: true });
    try {
      const { runId, token } = await startedRun(a);
      const client = wsClient(b.url);
      const onB = collect<{ seq: number }>(client, EVENTS_SUB, { runId }, (items) => items.length === 5, 'runEventAppended');
      const updatedOnB = collect<{ lastEventSeq: number }>(
        client,
        `subscription($runId: ID!) { runUpdated(runId: $runId) { lastEventSeq } }`,
        { runId },
        (items) => items.some((r) => r.lastEventSeq >= 7),
        'runUpdated',
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect((await postBatch(a, logEvents(runId, 5), token)).status).toBe(202);
      expect((await onB.done).map((e) => e.seq)).toEqual([3, 4, 5, 6, 7]);
      await updatedOnB.done;
      await client.dispose();
    } finally {
      await a.close();
      await b.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
