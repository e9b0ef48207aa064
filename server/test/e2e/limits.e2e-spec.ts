import { jest } from '@jest/globals';
import { ProjectionService } from '../../src/events/projection/projection.service.js';
import { postBatch, postEvent, runState, startedRun } from '../support/ingest.js';
import { ndjson, retarget, simulatedRun } from '../support/simulated-run.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { collect, wsClient } from '../support/ws-client.js';

const nested = (levels: number) => `{ runs(first: 1) { nodes { ${'hypothesis { runs(first: 1) { nodes { '.repeat(levels)}id${' } } }'.repeat(levels)} } } }`;

describe('GraphQL query limits', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ GRAPHQL_MAX_DEPTH: '8', GRAPHQL_MAX_COST: '5000' });
  });
  afterAll(() => app.close());

  it('refuses a query nested too deep with 400 BAD_USER_INPUT / QUERY_TOO_DEEP naming the limit', async () => {
    const response = await app.graphql(nested(2));
    expect(response.status).toBe(400);
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0].message).toMatch(/levels deep; at most 8 are allowed \(GRAPHQL_MAX_DEPTH\)/);
    expect(response.errors?.[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_DEEP', depth: 9, maxDepth: 8 });
  });

  it('refuses a query whose pages multiply beyond the budget with QUERY_TOO_COMPLEX, page sizes read from variables', async () => {
    const query = 'query($n: Int!) { runs(first: $n) { nodes { events(first: $n) { nodes { seq type } } } } }';
    const response = await app.graphql(query, { n: 100 });
    expect(response.status).toBe(400);
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_COMPLEX', maxCost: 5000, cost: 1 + 100 * (1 + (1 + 100 * 3)) });
    expect((await app.graphql(query, { n: 5 })).errors).toBeUndefined();
  });

  it('refuses a document nested thousands of levels deep as a syntax error, not a crash of the parser', async () => {
    const response = await app.graphql(nested(3000));
    expect(response.status).toBe(400);
    expect(response.errors?.[0]).toMatchObject({ message: expect.stringMatching(/more th[a-z]+ 5000 tokens/), extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  });

  it('applies the same limits to subscriptions', async () => {
    const client = wsClient(app.url);
    try {
      const deep = `subscription { runsChanged { ${'hypothesis { runs(first: 1) { nodes { '.repeat(3)}id${' } } }'.repeat(3)} } }`;
      const { done } = collect(client, deep, {}, () => true, 'runsChanged');
      await expect(done).rejects.toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', reason: 'QUERY_TOO_DEEP' }) })]);
      const huge = collect(client, `subscription { runsChanged { ${'hypothesis { runs(first: 1) { nodes { '.repeat(3000)}id${' } } }'.repeat(3000)} } }`, {}, () => true, 'runsChanged');
      await expect(huge.done).rejects.toEqual([expect.objectContaining({ message: expect.stringMatching(/tokens/) })]);
    } finally {
      await client.dispose();
    }
  });
});

describe('ingest rate limit per token', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ INGEST_RATE_PER_S: '10', INGEST_BURST: '20' });
  });
  afterAll(() => app.close());

  it('counts events, answers 429 problem+json with Retry-After, and keeps other tokens\' budgets apart', async () => {
    const a = await startedRun(app);
    const b = await startedRun(app);
    const events = simulatedRun(a.runId, { nodesPerStage: 4, logsPerNode: 3 });
    expect((await postBatch(app, events.slice(0, 20), a.token)).status).toBe(202);

    const refused = await fetch(`${app.url}/api/ingest/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${a.token}` },
      body: ndjson(events.slice(20, 25)),
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await refused.json()).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS', reason: 'RATE_LIMITED', events: 5, ratePerS: 10, burst: 20 });
    // Nothing of a refused request was stored.
    expect((await postEvent(app, events[20], a.token)).status).toBe(429);

    expect((await postBatch(app, simulatedRun(b.runId).slice(0, 10), b.token)).status).toBe(202);

    await new Promise((resolve) => setTimeout(resolve, Number(refused.headers.get('retry-after')) * 1000));
    const retried = await postBatch(app, events.slice(20, 25), a.token);
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ accepted: 5, duplicates: 0 });
  }, 20_000);

  it('lets a batch larger than the bucket through when the bucket is full, then makes its token wait it off', async () => {
    const run = await startedRun(app);
    const events = simulatedRun(run.runId, { nodesPerStage: 6, logsPerNode: 3 });
    expect((await postBatch(app, events.slice(0, 40), run.token)).status).toBe(202);
    const next = await postEvent(app, events[40], run.token);
    expect(next.status).toBe(429);
    expect(next.body.retryAfterS).toBeGreaterThanOrEqual(2);
  });
});

describe('ingest whose projection fails after its events were stored', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  it('answers 503 with Retry-After, and the client\'s retry (all duplicates) applies the stored events', async () => {
    const { runId, token } = await startedRun(app);
    const events = simulatedRun(runId);
    const projection = app.app.get(ProjectionService);
    const busy = Object.assign(new Error('database is locked'), { name: 'SqliteError', code: 'SQLITE_BUSY' });
    const catchUp = jest.spyOn(projection, 'catchUp').mockRejectedValueOnce(busy);
    try {
      const failed = await postBatch(app, events, token);
      expect(failed.status).toBe(503);
      expect(failed.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'STORE_BUSY', retryAfterS: 1 });
      expect((await runState(app, runId)).status).toBe('STARTING');

      const retried = await postBatch(app, events, token);
      expect(retried.status).toBe(202);
      expect(retried.body).toMatchObject({ accepted: 0, duplicates: events.length });
      const clean = await startedRun(app);
      expect((await postBatch(app, retarget(events, clean.runId), clean.token)).status).toBe(202);
      expect(await runState(app, runId)).toEqual(await runState(app, clean.runId));
    } finally {
      catchUp.mockRestore();
    }
  });
});
