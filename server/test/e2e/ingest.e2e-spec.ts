import { postBatch, postEvent, runState, startedRun } from '../support/ingest.js';
import { type Envelope, ndjson, retarget, shuffled, simulatedRun } from '../support/simulated-run.js';
import { dataOf, startTestApp, type TestApp } from '../support/test-app.js';

const EVENT_IDS = /* GraphQL */ `
  query EventIds($id: ID!, $after: String) {
    run(id: $id) { events(first: 500, after: $after, order: ASC) { totalCount pageInfo { hasNextPage endCursor } nodes { id seq type outcome } } }
  }
`;

async function storedEvents(app: TestApp, runId: string) {
  const all: { id: string; seq: number; type: string; outcome: string | null }[] = [];
  let after: string | null = null;
  do {
    const page: any = dataOf(await app.graphql(EVENT_IDS, { id: runId, after })).run.events;
    all.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return all;
}

describe('event ingestion (real app)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp();
  });
  afterAll(() => app.close());

  describe('a full simulated run', () => {
    let singles: { runId: string; events: Envelope[] };
    let batched: { runId: string; events: Envelope[] };

    beforeAll(async () => {
      const a = await startedRun(app);
      const events = simulatedRun(a.runId);
      for (const event of events) {
        const response = await postEvent(app, event, a.token);
        expect(response.status).toBe(201);
      }
      singles = { runId: a.runId, events };

      const b = await startedRun(app);
      const retargeted = retarget(events, b.runId);
      for (let i = 0; i < retargeted.length; i += 25) {
        const response = await postBatch(app, retargeted.slice(i, i + 25), b.token);
        expect(response.status).toBe(202);
      }
      batched = { runId: b.runId, events: retargeted };
    });

    it('is projected into the whole run state', async () => {
      const state: any = await runState(app, singles.runId);
      expect(state).toMatchObject({
        status: 'AWAITING_HUMAN',
        pod: { id: 'pod-sim', instanceType: 'NVIDIA RTX A4000', region: 'EU-RO-1' },
        paper: { status: 'GENERATED', wordCount: 4200 },
        telemetry: { gpuUtil: 70 },
        lastEventSeq: singles.events.length + 2, // + the orchestrator's two status changes
        currentStage: { name: 'STAGE_4', progress: 1 },
        events: { totalCount: singles.events.length + 2 },
      });
      expect(state.statusHistory.map((t: any) => t.to)).toEqual(['SCHEDULED', 'STARTING', 'RUNNING', 'AUTO_VALIDATING', 'AWAITING_HUMAN']);
      expect(state.completedAt).not.toBeNull();
      expect(state.stages.map((s: any) => [s.name, s.status, s.progress])).toEqual([
        ['STAGE_1', 'COMPLETED', 1],
        ['STAGE_2', 'COMPLETED', 1],
        ['STAGE_3', 'COMPLETED', 1],
        ['STAGE_4', 'COMPLETED', 1],
      ]);
      expect(state.stages[0]).toMatchObject({ bestNodeId: 'node-2', bestMetric: 0.51, description: 'stage 1' });
      expect(state.stageTiming).toHaveLength(4);
      expect(state.metrics).toEqual([expect.objectContaining({ name: 'val_loss', value: 0.7, stage: 'STAGE_1' })]);
      expect(state.nodes.map((n: any) => [n.nodeId, n.parentId, n.status, n.isBuggy])).toEqual([
        ['node-1', null, 'COMPLETED', false],
        ['node-2', 'node-1', 'COMPLETED', false],
        ['node-3', 'node-2', 'COMPLETED', true],
        ['node-4', 'node-3', 'COMPLETED', false],
      ]);
      expect(state.nodeHistory.map((n: any) => n.isBuggy)).toEqual([false, false, true, false]);
      expect(state.artifacts.map((a: any) => [a.kind, a.status])).toEqual([
        ['plot', 'REGISTERED'],
        ['plot', 'REGISTERED'],
        [null, 'FAILED'],
        ['paper', 'REGISTERED'],
      ]);
      expect(state.validations).toEqual([
        expect.objectContaining({
          kind: 'AUTO',
          status: 'COMPLETED',
          verdict: 'PASS',
          scores: [
            { name: 'novelty', score: 7 },
            { name: 'soundness', score: 6.5 },
            { name: 'clarity', score: 8 },
          ],
          review: { strengths: ['clear'], weaknesses: ['small scale'] },
          model: 'gpt-review',
        }),
      ]);
    });

    it('records what became of each status change on its event, refused ones included', async () => {
      const events = await storedEvents(app, singles.runId);
      const outcome = (type: string) => events.find((e) => e.type === type)?.outcome;
      expect(outcome('ai.run.started')).toBe('status STARTING -> RUNNING');
      expect(outcome('ai.validation.auto_completed')).toBe('status AUTO_VALIDATING -> AWAITING_HUMAN');
      // The worker says it completed after validation: the state machine keeps AWAITING_HUMAN.
      expect(outcome('ai.run.completed')).toBe('refused: run is AWAITING_HUMAN and cannot move to COMPLETED');
      expect(outcome('ai.experiment.node_completed')).toBe('unknown type: stored and shown, not applied');
      expect(events.filter((e) => e.type === 'ai.run.status_changed')).toHaveLength(2);
    });

    it('gives the same state posted one by one and in batches', async () => {
      expect(await runState(app, batched.runId)).toEqual(await runState(app, singles.runId));
    });

    it('stores every event of both emitters, the restarted one included', async () => {
      const stored = await storedEvents(app, singles.runId);
      const workerEvents = stored.filter((e) => e.type !== 'ai.run.status_changed');
      expect(workerEvents.map((e) => e.id)).toEqual(singles.events.map((e) => e.id));
      expect(stored.map((e) => e.seq)).toEqual(stored.map((_, i) => i + 1));
      const logSeqs = singles.events.filter((e) => e.source.endsWith('/logs')).map((e) => e.extensions.seq);
      expect(logSeqs.filter((s) => s === 1)).toHaveLength(2);
    });

    it('changes nothing when the same events come again, shuffled, with duplicates, as batches and singles', async () => {
      const before = await runState(app, batched.runId);
      const storedBefore = await storedEvents(app, batched.runId);
      const replay = shuffled([...batched.events, ...batched.events.slice(0, 40)]);
      for (let i = 0; i < replay.length; i += 50) {
        const response = await postBatch(app, replay.slice(i, i + 50));
        expect(response.body).toMatchObject({ accepted: 0, invalid: 0 });
      }
      for (const event of replay.slice(0, 10)) expect((await postEvent(app, event)).body).toMatchObject({ status: 'duplicate' });
      expect(await runState(app, batched.runId)).toEqual(before);
      expect(await storedEvents(app, batched.runId)).toEqual(storedBefore);
    });

    it('ends in the same state when a fresh run gets each batch shuffled', async () => {
      const c = await startedRun(app);
      const events = retarget(singles.events, c.runId);
      for (let i = 0; i < events.length; i += 30) {
        expect((await postBatch(app, shuffled(events.slice(i, i + 30), i), c.token)).status).toBe(202);
      }
      expect(await runState(app, c.runId)).toEqual(await runState(app, singles.runId));
    });
  });

  describe('responses', () => {
    let runId: string;
    let token: string;
    const event = (overrides: Record<string, unknown> = {}, data: Record<string, unknown> = {}) => ({
      specversion: '1.0',
      id: `ev-${Math.random()}`,
      source: 'worker://test',
      type: 'ai.run.log',
      subject: `run/${runId}`,
      time: '2026-01-01T10:00:00+02:00',
      data: { level: 'info', message: 'hello', ...data },
      ...overrides,
    });

    beforeAll(async () => {
      ({ runId, token } = await startedRun(app));
    });

    it('answers 201 accepted, then 200 duplicate, and says when a type is unknown', async () => {
      const e = event();
      expect(await postEvent(app, e, token)).toMatchObject({ status: 201, body: { eventId: e.id, status: 'accepted' } });
      expect(await postEvent(app, e, token)).toMatchObject({ status: 200, body: { eventId: e.id, status: 'duplicate' } });
      const unknown = event({ type: 'ai.experiment.node_completed' });
      expect(await postEvent(app, unknown, token)).toMatchObject({ status: 201, body: { status: 'accepted', unknown: true } });
    });

    it('accepts seq and traceparent at the top level or in extensions, and null for optional fields', async () => {
      const traceparent = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;
      expect((await postEvent(app, event({ seq: 3, traceparent }, { kv: null }), token)).status).toBe(201);
      expect((await postEvent(app, event({ extensions: { seq: 4, traceparent } }, { source: null }), token)).status).toBe(201);
    });

    const cases: [string, () => object | string, number, RegExp][] = [
      ['malformed JSON', () => '{"specversion": "1.0",', 400, /malformed JSON/],
      ['wrong specversion', () => event({ specversion: '0.3' }), 400, /specversion must be "1.0"/],
      ['a missing id', () => event({ id: undefined }), 400, /id must be a non-empty string/],
      ['a bad time', () => event({ time: 'yesterday' }), 400, /time must be an RFC 3339 timestamp/],
      ['a subject of an unknown run', () => event({ subject: 'run/00000000-0000-4000-8000-000000000000' }), 404, /run 00000000-0000-4000-8000-000000000000 does not exist/],
      ['a malformed subject', () => event({ subject: 'pod/1' }), 400, /subject must be run\/<runId>/],
      ['data.run_id that is not the subject', () => event({}, { run_id: '00000000-0000-4000-8000-000000000000' }), 400, /data.run_id .* must equal the subject's run id/],
      ['a wrong field type', () => event({}, { level: 'loud' }), 400, /data.level must be debug, info, warn/],
      ['a negative seq', () => event({ extensions: { seq: -1 } }), 400, /extensions.seq must be a positive integer/],
      ['progress as a string', () => event({ type: 'ai.run.stage_progress' }, { stage: 'Stage_1', progress: '0.5' }), 400, /data.progress must be a number/],
      ['an unknown stage', () => event({ type: 'ai.run.stage_started' }, { stage: 'Stage 9' }), 400, /data.stage must be Stage_1, Stage_2, Stage_3 or Stage_4/],
    ];

    // Posted without a token (the API is open here): with the run token, a foreign subject is a 403 first.
    it.each(cases)('refuses %s with a problem naming the field and the rule', async (_name, make, status, message) => {
      const response = await postEvent(app, make());
      expect(response.status).toBe(status);
      expect(response.contentType).toContain('application/problem+json');
      expect(response.body.detail).toMatch(message);
    });

    it('refuses the same problems per line in a batch, and stores the good lines', async () => {
      const good = [event(), event()];
      const lines = [JSON.stringify(good[0]), ...cases.map(([, make]) => { const e = make(); return typeof e === 'string' ? e : JSON.stringify(e); }), '', JSON.stringify(good[1])];
      const response = await postBatch(app, lines.join('\n'));
      expect(response.status).toBe(207);
      expect(response.body).toMatchObject({ accepted: 2, duplicates: 0, invalid: cases.length });
      const errorLines = [...new Set(response.body.errors.map((e: { line: number }) => e.line))];
      expect(errorLines).toEqual(cases.map((_, i) => i + 2));
      for (const [i, [, , , message]] of cases.entries()) {
        expect(response.body.errors.filter((e: { line: number }) => e.line === i + 2).map((e: { message: string }) => e.message).join(' ')).toMatch(message);
      }
      expect(response.body.errors[1]).toMatchObject({ line: 3, field: 'specversion', rule: 'equals' });
    });

    it('refuses an empty body, too many lines and an oversized body with 4xx', async () => {
      expect(await postBatch(app, '\n\n', token)).toMatchObject({ status: 400, body: { reason: 'EMPTY_INGEST' } });
      expect(await postEvent(app, '', token)).toMatchObject({ status: 400 });
      const many = Array.from({ length: 5001 }, () => JSON.stringify(event())).join('\n');
      expect(await postBatch(app, many, token)).toMatchObject({ status: 413, body: { reason: 'TOO_MANY_LINES', max: 5000 } });
      const huge = JSON.stringify(event({}, { message: 'x'.repeat(11 * 1024 * 1024) }));
      const response = await postEvent(app, huge, token);
      expect(response.status).toBe(413);
      expect(response.contentType).toContain('application/problem+json');
    });

    it('refuses a run token used for another run, or for a run that does not exist, with 403, per line in a batch', async () => {
      expect(await postEvent(app, event({ subject: 'run/00000000-0000-4000-8000-000000000000' }), token)).toMatchObject({ status: 403 });
      const other = await startedRun(app);
      expect(await postEvent(app, event({ subject: `run/${other.runId}` }), token)).toMatchObject({
        status: 403,
        body: { reason: 'RUN_TOKEN_FOR_OTHER_RUN', field: 'subject' },
      });
      const mixed = await postBatch(app, [event(), event({ subject: `run/${other.runId}` })], token);
      expect(mixed).toMatchObject({ status: 207, body: { accepted: 1, invalid: 1, errors: [{ line: 2, field: 'subject' }] } });
    });

    it('accepts the run token as the user name of Basic auth, and refuses an unknown token', async () => {
      const basic = await fetch(`${app.url}/api/ingest/event`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}` },
        body: JSON.stringify(event()),
      });
      expect(basic.status).toBe(201);
      expect((await postEvent(app, event(), 'ort_not-a-token')).status).toBe(401);
    });
  });
});

describe('event ingestion with API tokens', () => {
  it('refuses a request without a token with 401, and accepts an operator token', async () => {
    const operator = 'ops-token-0123456789abcdef';
    const app = await startTestApp({ API_TOKENS: `ops:${operator}` });
    try {
      const { runId } = await startedRun(app, operator);
      const event = { specversion: '1.0', id: 'x1', source: 's', type: 'ai.run.log', subject: `run/${runId}`, time: new Date().toISOString(), data: { level: 'info', message: 'm' } };
      expect(await postEvent(app, event)).toMatchObject({ status: 401, body: { reason: 'MISSING_TOKEN' } });
      expect(await postBatch(app, ndjson([event]))).toMatchObject({ status: 401 });
      expect((await postEvent(app, event, operator)).status).toBe(201);
    } finally {
      await app.close();
    }
  });
});
