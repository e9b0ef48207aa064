import { Queue } from 'bullmq';
import { RedisEndpoint } from '../../src/infra/redis/redis.module.js';
import {
  CANCEL_RUN,
  CREATE_HYPOTHESIS,
  createHypothesisInput,
  HIDE_HYPOTHESIS,
  LAUNCH_RUN,
  RUN,
  RUNS,
} from '../support/graphql-operations.js';
import { dataOf, startTestApp, TestApp } from '../support/test-app.js';
import { collect, wsClient } from '../support/ws-client.js';

describe('hypotheses and runs over GraphQL (real app, SQLite, embedded Redis)', () => {
  let app: TestApp;
  let queue: Queue;

  beforeAll(async () => {
    app = await startTestApp();
    queue = new Queue('orchestrator', { connection: { url: app.app.get(RedisEndpoint).url } });
  });
  afterAll(async () => {
    await queue.close();
    await app.close();
  });

  const create = async (overrides: Record<string, unknown> = {}) =>
    dataOf(await app.graphql(CREATE_HYPOTHESIS, createHypothesisInput(overrides))).createHypothesis;

  describe('health', () => {
    it('answers liveness and readiness', async () => {
      expect(await (await fetch(`${app.url}/api/health`)).json()).toMatchObject({ status: 'ok' });
      const ready = await fetch(`${app.url}/api/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', store: 'sqlite', checks: { store: { status: 'ok' }, redis: { status: 'ok' } } });
    });
  });

  describe('createHypothesis', () => {
    it('stores the hypothesis and queues its first run with a durable start job', async () => {
      const { hypothesis, run } = await create({ createdBy: 'ada' });
      expect(hypothesis).toMatchObject({ title: 'Sparse attention', createdBy: 'ada', hidden: false });
      expect(hypothesis.ideaJson).toMatchObject({ Title: 'Sparse attention', 'Short Hypothesis': expect.any(String) });
      expect(run).toMatchObject({ status: 'QUEUED', hypothesisId: hypothesis.id, createdBy: 'ada' });
      expect(run.startJob).toMatchObject({ id: run.id, name: 'start', state: 'waiting', attemptsMade: 0 });

      const job = await queue.getJob(run.id);
      expect(job?.data).toEqual({ runId: run.id });
      expect(job?.opts).toMatchObject({ attempts: 5, backoff: { type: 'exponential', delay: 3000 }, removeOnComplete: true });

      const runs = dataOf(await app.graphql(RUNS, { filter: { status: ['QUEUED'] } })).runs;
      expect(runs.nodes.map((r: { id: string }) => r.id)).toContain(run.id);
    });

    it('rejects a short title and idea naming both fields and rules', async () => {
      const response = await app.graphql(CREATE_HYPOTHESIS, createHypothesisInput({ title: 'ab', idea: 'short' }));
      expect(response.status).toBe(200);
      expect(response.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'VALIDATION_FAILED',
        fields: [
          { field: 'title', rule: 'isLength' },
          { field: 'idea', rule: 'isLength' },
        ],
      });
      expect(response.errors?.[0].message).toMatch(/title: .*3 characters; idea: .*10 characters/);
    });

    it('trims whitespace before validating', async () => {
      const response = await app.graphql(CREATE_HYPOTHESIS, createHypothesisInput({ title: '   ab   ' }));
      expect(response.errors?.[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'title' })]);
    });
  });

  describe('run and runs', () => {
    it('resolves a run with its hypothesis, four pending stages and history', async () => {
      const { run, hypothesis } = await create();
      const found = dataOf(await app.graphql(RUN, { id: run.id })).run;
      expect(found).toMatchObject({ id: run.id, status: 'QUEUED', hypothesis: { id: hypothesis.id }, statusHistory: [] });
      expect(found.stages).toEqual([
        { name: 'STAGE_1', status: 'PENDING', progress: 0 },
        { name: 'STAGE_2', status: 'PENDING', progress: 0 },
        { name: 'STAGE_3', status: 'PENDING', progress: 0 },
        { name: 'STAGE_4', status: 'PENDING', progress: 0 },
      ]);
    });

    it('reports an unknown run as NOT_FOUND and a malformed id as BAD_USER_INPUT', async () => {
      const missing = await app.graphql(RUN, { id: '00000000-0000-4000-8000-000000000000' });
      expect(missing.data?.run).toBeNull();
      expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'RUN_NOT_FOUND' });
      const malformed = await app.graphql(RUN, { id: 'not-a-uuid' });
      expect(malformed.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'id', rule: 'isUuid' }] });
    });

    it('pages a hypothesis\' runs newest first with cursors, totalCount counting the whole filter', async () => {
      const { hypothesis, run: first } = await create();
      const launched = [];
      for (let i = 0; i < 4; i++) launched.push(dataOf(await app.graphql(LAUNCH_RUN, { hypothesisId: hypothesis.id })).launchRun.id);
      const expected = [...launched.reverse(), first.id];
      const seen: string[] = [];
      let after: string | null = null;
      do {
        const page: any = dataOf(await app.graphql(RUNS, { filter: { hypothesisId: hypothesis.id }, first: 2, after })).runs;
        expect(page.totalCount).toBe(5);
        seen.push(...page.nodes.map((r: { id: string }) => r.id));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      expect(seen).toEqual(expected);
      const oldestFirst = dataOf(await app.graphql(RUNS, { filter: { hypothesisId: hypothesis.id }, order: 'ASC' })).runs;
      expect(oldestFirst.nodes.map((r: { id: string }) => r.id)).toEqual([...expected].reverse());
    });

    it('rejects a forged cursor and an oversized page', async () => {
      const forged = await app.graphql(RUNS, { after: 'bm90LWEtY3Vyc29y' });
      expect(forged.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
      const huge = await app.graphql(RUNS, { first: 1000 });
      expect(huge.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'first', rule: 'max' }] });
    });

    it('hides runs from the default list and shows them on request', async () => {
      const { run, hypothesis } = await create();
      dataOf(await app.graphql(`mutation($id: ID!) { hideRun(id: $id) { hidden } }`, { id: run.id }));
      const visible = dataOf(await app.graphql(RUNS, { filter: { hypothesisId: hypothesis.id } })).runs;
      expect(visible.totalCount).toBe(0);
      const hidden = dataOf(await app.graphql(RUNS, { filter: { hypothesisId: hypothesis.id, hidden: true } })).runs;
      expect(hidden.nodes).toEqual([expect.objectContaining({ id: run.id, hidden: true })]);
      dataOf(await app.graphql(`mutation($id: ID!) { unhideRun(id: $id) { hidden } }`, { id: run.id }));
      expect(dataOf(await app.graphql(RUNS, { filter: { hypothesisId: hypothesis.id } })).runs.totalCount).toBe(1);
    });
  });

  describe('cancelRun', () => {
    it('lets exactly one of 20 concurrent cancels through and records one transition', async () => {
      const { run } = await create();
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => app.graphql(CANCEL_RUN, { id: run.id, reason: `caller ${i}` })),
      );
      const succeeded = responses.filter((r) => r.data?.cancelRun);
      const refused = responses.filter((r) => r.errors);
      expect(succeeded).toHaveLength(1);
      expect(refused).toHaveLength(19);
      for (const r of refused) {
        expect(r.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'ILLEGAL_RUN_TRANSITION', from: 'CANCELED', to: 'CANCELED' });
      }
      const found = dataOf(await app.graphql(RUN, { id: run.id })).run;
      expect(found.status).toBe('CANCELED');
      expect(found.statusHistory).toEqual([
        expect.objectContaining({ from: 'QUEUED', to: 'CANCELED', by: 'anonymous', reason: succeeded[0].data!.cancelRun.statusHistory[0].reason }),
      ]);
    });

    it('names both states when a transition is illegal', async () => {
      const { run } = await create();
      dataOf(await app.graphql(CANCEL_RUN, { id: run.id }));
      const again = await app.graphql(CANCEL_RUN, { id: run.id });
      expect(again.errors?.[0].message).toBe(`Run ${run.id} is CANCELED and cannot move to CANCELED`);
    });
  });

  describe('launchRun', () => {
    it('creates one run for 20 concurrent calls with one idempotency key', async () => {
      const { hypothesis } = await create();
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => app.graphql(LAUNCH_RUN, { hypothesisId: hypothesis.id, idempotencyKey: 'retry-safe-1' })),
      );
      const ids = new Set(responses.map((r) => dataOf(r).launchRun.id));
      expect(ids.size).toBe(1);
      const runs = dataOf(await app.graphql(RUNS, { filter: { hypothesisId: hypothesis.id } })).runs;
      expect(runs.totalCount).toBe(2); // the first run from createHypothesis, and the launched one
      expect(await queue.getJob([...ids][0])).toBeDefined();
    });

    it('reports an unknown hypothesis as NOT_FOUND', async () => {
      const response = await app.graphql(LAUNCH_RUN, { hypothesisId: '00000000-0000-4000-8000-000000000000' });
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'HYPOTHESIS_NOT_FOUND' });
    });
  });

  describe('hideHypothesis', () => {
    it('hides the hypothesis and cancels every active run of it, however many', async () => {
      const { hypothesis, run: first } = await create();
      for (let i = 0; i < 29; i++) dataOf(await app.graphql(LAUNCH_RUN, { hypothesisId: hypothesis.id }));
      dataOf(await app.graphql(CANCEL_RUN, { id: first.id })); // already final: left as it is

      const result = dataOf(await app.graphql(HIDE_HYPOTHESIS, { id: hypothesis.id })).hideHypothesis;
      expect(result.canceledRuns).toBe(29);
      expect(result.hypothesis.hidden).toBe(true);
      expect(result.hypothesis.runs.totalCount).toBe(30);
      expect(result.hypothesis.runs.nodes.every((r: { status: string }) => r.status === 'CANCELED')).toBe(true);

      const launch = await app.graphql(LAUNCH_RUN, { hypothesisId: hypothesis.id });
      expect(launch.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'HYPOTHESIS_HIDDEN' });
      const listed = dataOf(await app.graphql(`{ hypotheses(first: 100) { nodes { id } } }`)).hypotheses.nodes;
      expect(listed.map((h: { id: string }) => h.id)).not.toContain(hypothesis.id);
    });
  });

  describe('hypothesesChanged', () => {
    it('streams each hypothesis created, hidden and shown again, with its runs', async () => {
      const client = wsClient(app.url);
      type Change = { id: string; hidden: boolean; runs: { totalCount: number } };
      let id = '';
      const changes = collect<Change>(
        client,
        `subscription { hypothesesChanged { id hidden runs(filter: { hidden: null }) { totalCount } } }`,
        {},
        (items) => items.filter((h) => h.id === id).length === 3,
        'hypothesesChanged',
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      id = (await create()).hypothesis.id;
      dataOf(await app.graphql(HIDE_HYPOTHESIS, { id }));
      dataOf(await app.graphql(`mutation($id: ID!) { unhideHypothesis(id: $id) { id } }`, { id }));
      const mine = (await changes.done).filter((h) => h.id === id);
      expect(mine.map((h) => [h.hidden, h.runs.totalCount])).toEqual([
        [false, 1],
        [true, 1],
        [false, 1],
      ]);
      await client.dispose();
    });
  });

  describe('malformed requests', () => {
    const post = (body: string) =>
      fetch(`${app.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

    it('answers a syntax error with GRAPHQL_PARSE_FAILED', async () => {
      const response = await post(JSON.stringify({ query: '{ runs( { id } }' }));
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    });

    it('answers an unknown field with GRAPHQL_VALIDATION_FAILED', async () => {
      const response = await post(JSON.stringify({ query: '{ runs { nope } }' }));
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('answers a bad enum value in variables with BAD_USER_INPUT', async () => {
      const response = await app.graphql(RUNS, { filter: { status: ['DONE'] } });
      expect(response.status).toBe(400);
      expect(response.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('answers broken JSON with a GraphQL-shaped 400, never a 500', async () => {
      const response = await post('{"query": ');
      expect(response.status).toBe(400);
      expect(((await response.json()) as any).errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    });

    it('answers an unknown REST route with problem+json 404', async () => {
      const response = await fetch(`${app.url}/api/nope`);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    });
  });
});
