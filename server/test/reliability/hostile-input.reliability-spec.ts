import fc from 'fast-check';
import { EVENT_CATALOGUE } from '../../src/events/catalogue/catalogue.js';
import { CREATE_HYPOTHESIS } from '../support/graphql-operations.js';
import { postBatch, RUN_STATE, startedRun } from '../support/ingest.js';
import { simulatedRun } from '../support/simulated-run.js';
import { dataOf, startTestApp, type TestApp } from '../support/test-app.js';
import { allEvents } from './support/run-events.js';
import { awaitNoLeftovers, envInt, Scenario } from './support/scenario.js';

// Property runs per property; CI runs a smaller budget (RELIABILITY_FUZZ_RUNS).
const RUNS = envInt('RELIABILITY_FUZZ_RUNS', 1000);
const SEED = envInt('RELIABILITY_SEED', 20260101);
const OPERATOR = 'fuzz-operator-token-0123456789abcdef';
const TYPES = Object.keys(EVENT_CATALOGUE);

// Keys that poison objects built from input without care.
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__'];

/** Nested arrays or objects, `depth` levels deep, as JSON text (built iteratively, as an attacker would). */
const nestedJson = (depth: number, kind: 'array' | 'object') =>
  kind === 'array' ? `${'['.repeat(depth)}1${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** A hostile JSON value, as JSON text: odd types, huge and strange strings, deep nesting, prototype keys. */
const hostileJson: fc.Arbitrary<string> = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('', ' ', '\u0000', '\u202e', '\ud800', 'run/', '../../etc/passwd', '%2e%2e%2f', 'NaN', '-1', '1e309').map((s) => JSON.stringify(s)),
  fc.integer({ min: 1, max: 3 }).map((n) => JSON.stringify('x'.repeat(10 ** (n + 3)))),
  fc.constantFrom(-1, 0, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2).map((n) => JSON.stringify(n)),
  fc.constantFrom('null', 'true', '[]', '{}', '"1.0"'),
  fc.tuple(fc.integer({ min: 10, max: 20_000 }), fc.constantFrom<'array' | 'object'>('array', 'object')).map(([d, k]) => nestedJson(d, k)),
  fc.tuple(fc.constantFrom(...PROTO_KEYS), fc.jsonValue({ maxDepth: 2 })).map(([key, v]) => `{"${key}":{"polluted":${JSON.stringify(v)}}}`),
);

/** A valid event of a random catalogue type for `runId`, as a mutable object. */
const baseEvent = (runId: string, type: string, seq: number) => ({
  specversion: '1.0',
  id: `fuzz-${seq}-${Math.random().toString(36).slice(2)}`,
  source: 'worker://fuzz/lifecycle',
  type,
  subject: `run/${runId}`,
  time: new Date(Date.UTC(2026, 0, 1) + seq * 1000).toISOString(),
  datacontenttype: 'application/json',
  data: { run_id: runId, stage: 'Stage_1', level: 'info', message: 'fuzz', progress: 0.5, node_id: 'n1' } as Record<string, unknown>,
  extensions: { seq },
});

const FIELDS = ['specversion', 'id', 'source', 'type', 'subject', 'time', 'datacontenttype', 'data', 'extensions', 'seq', 'traceparent', ...PROTO_KEYS];
const DATA_FIELDS = ['run_id', 'stage', 'level', 'message', 'progress', 'node_id', 'kv', 'scores', 'metric', 'key', ...PROTO_KEYS];

/** One hostile line: a catalogue event with some envelope and data fields replaced by hostile JSON. */
const hostileLine = (runIds: string[]) =>
  fc
    .record({
      run: fc.constantFrom(...runIds),
      type: fc.oneof(fc.constantFrom(...TYPES), fc.string({ maxLength: 40 })),
      seq: fc.integer({ min: 1, max: 1_000_000 }),
      fields: fc.array(fc.tuple(fc.constantFrom(...FIELDS), hostileJson), { maxLength: 3 }),
      dataFields: fc.array(fc.tuple(fc.constantFrom(...DATA_FIELDS), hostileJson), { maxLength: 3 }),
    })
    .map(({ run, type, seq, fields, dataFields }) => {
      const event = baseEvent(run, type, seq);
      // Replaced as text, so that keys like __proto__ arrive as JSON keys, as an attacker sends them.
      let data = JSON.stringify(event.data).slice(0, -1);
      for (const [key, value] of dataFields) data += `,"${key}":${value}`;
      let text = JSON.stringify({ ...event, data: '@DATA@' }).replace('"@DATA@"', `${data}}`).slice(0, -1);
      for (const [key, value] of fields) text += `,"${key}":${value}`;
      return `${text}}`;
    });

const garbageLine = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom('{', '}', '{"specversion":"1.0"', 'null', '[]', '"string"', '\u0000\u0000', '{}{}', '\r', '\t'),
);

describe('hostile input: never a 500, never a crash, never a change outside the token\'s run', () => {
  const scenario = new Scenario(`hostile input (fast-check, ${RUNS} runs per property)`);
  let app: TestApp;
  let mine: { runId: string; token: string };
  let other: { runId: string; token: string };
  let otherBefore: { state: unknown; events: number };
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
  // elapsedS of a running stage grows with the clock; everything else must stay as it was.
  const runState = async (_app: TestApp, runId: string) =>
    JSON.parse(JSON.stringify(dataOf(await app.graphql(RUN_STATE, { id: runId }, OPERATOR)).run, (key, value: unknown) => (key === 'elapsedS' ? undefined : value))) as unknown;

  beforeAll(async () => {
    app = await startTestApp({ API_TOKENS: `fuzz:${OPERATOR}`, INGEST_RATE_PER_S: '0' });
    mine = await startedRun(app, OPERATOR);
    other = await startedRun(app, OPERATOR);
    expect((await postBatch(app, simulatedRun(other.runId).slice(0, 30), other.token)).status).toBe(202);
    otherBefore = { state: await runState(app, other.runId).catch(() => null), events: (await allEvents(app, other.runId, OPERATOR)).length };
  });
  afterAll(async () => {
    await app?.close();
    scenario.counts.leakedProcesses += (await awaitNoLeftovers()).length;
    scenario.record();
  });

  const post = async (path: string, body: string, contentType: string, token: string) => {
    scenario.counts.inputsTried++;
    const response = await scenario.fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${token}` }, body });
    const text = await response.text();
    return { status: response.status, text, contentType: response.headers.get('content-type') ?? '' };
  };
  const expectClientAnswer = (answer: { status: number; text: string; contentType: string }) => {
    expect(answer.status).toBeLessThan(500);
    expect(answer.contentType).toMatch(/json/);
    expect(() => JSON.parse(answer.text)).not.toThrow();
  };
  const params = (offset: number) => ({ numRuns: RUNS, seed: SEED + offset, endOnFailure: true });

  it('single events: a 4xx (or 2xx) naming the problem, for any envelope and data', async () => {
    await fc.assert(
      fc.asyncProperty(hostileLine([mine.runId, other.runId]), async (line) => {
        const answer = await post('/api/ingest/event', line, 'application/json', mine.token);
        expectClientAnswer(answer);
        if (answer.status >= 400) expect(JSON.parse(answer.text)).toMatchObject({ status: answer.status, detail: expect.any(String) });
      }),
      params(1),
    );
  });

  it('NDJSON batches: per-line answers for any mix of good, hostile, garbage and blank lines', async () => {
    const line = fc.oneof(
      { weight: 2, arbitrary: hostileLine([mine.runId, other.runId]) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 1_000_000 }).map((seq) => JSON.stringify(baseEvent(mine.runId, 'ai.run.log', seq))) },
      { weight: 1, arbitrary: garbageLine },
      { weight: 1, arbitrary: fc.constant('') },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 40 }), fc.constantFrom('\n', '\r\n'), async (lines, separator) => {
        const answer = await post('/api/ingest/events', lines.join(separator), 'application/x-ndjson', mine.token);
        expectClientAnswer(answer);
        if (answer.status === 202 || answer.status === 207) {
          const body = JSON.parse(answer.text) as { accepted: number; duplicates: number; invalid: number };
          expect(body.accepted + body.duplicates + body.invalid).toBe(lines.join(separator).split('\n').filter((l) => l.trim()).length);
        }
      }),
      params(2),
    );
  });

  it('GraphQL: hostile variables and inputs, and hostile query text, never an internal error', async () => {
    const graphql = async (body: string) => {
      const answer = await post('/graphql', body, 'application/json', OPERATOR);
      expect(answer.status).toBeLessThan(500);
      const parsed = JSON.parse(answer.text) as { errors?: { extensions?: { code?: string } }[] };
      for (const error of parsed.errors ?? []) expect(error.extensions?.code).not.toBe('INTERNAL_SERVER_ERROR');
    };
    const operations = [
      CREATE_HYPOTHESIS,
      'query($id: ID!) { run(id: $id) { id status events(first: 5) { totalCount } } }',
      'query($first: Int!, $after: String, $filter: RunFilterInput) { runs(first: $first, after: $after, filter: $filter) { totalCount nodes { id } } }',
      'query($id: ID!, $first: Int!, $types: [String!], $search: String) { run(id: $id) { logs(first: $first, search: $search) { totalCount } events(first: $first, types: $types) { totalCount } } }',
      'mutation($id: ID!, $reason: String) { cancelRun(id: $id, reason: $reason) { id status } }',
      'query($url: String!) { extractHypothesisFromChatGpt(url: $url) { title } }',
    ];
    const variables = fc.dictionary(
      fc.constantFrom('id', 'first', 'after', 'filter', 'types', 'search', 'reason', 'input', 'url', ...PROTO_KEYS),
      hostileJson,
      { maxKeys: 5 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...operations), variables, async (query, vars) => {
        const varsText = `{${Object.entries(vars).map(([k, v]) => `"${k}":${v}`).join(',')}}`;
        await graphql(`{"query":${JSON.stringify(query)},"variables":${varsText}}`);
      }),
      params(3),
    );
    const queryText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.integer({ min: 1, max: 3000 }).map((n) => `{ ${'runs(first: 1) { nodes { hypothesis { '.repeat(n)} id ${'} } }'.repeat(n)} }`),
      fc.integer({ min: 1, max: 5000 }).map((n) => `query { ${'__typename '.repeat(n)} }`),
      fc.integer({ min: 1, max: 2000 }).map((n) => `query { ${Array.from({ length: n }, (_, i) => `a${i}: runs(first: 100) { totalCount }`).join(' ')} }`),
      fc.constantFrom('{', 'query {', 'mutation', '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }', 'fragment A on Run { ...A } query { run(id: "x") { ...A } }'),
    );
    await fc.assert(
      fc.asyncProperty(queryText, async (query) => {
        await graphql(JSON.stringify({ query }));
      }),
      params(4),
    );
  });

  it('left the other run, the server and Object.prototype as they were', async () => {
    expect({ state: await runState(app, other.runId).catch(() => null), events: (await allEvents(app, other.runId, OPERATOR)).length }).toEqual(otherBefore);
    expect((await fetch(`${app.url}/api/ready`)).status).toBe(200);
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(scenario.counts.serverErrors + scenario.counts.retried503).toBe(0);
  });
});
