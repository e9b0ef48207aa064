import { GraphQLSchemaHost } from '@nestjs/graphql';
import { getNamedType, isLeafType, isNonNullType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nextDataPage } from '../support/chatgpt-pages.js';
import { FakeChatGpt } from '../support/fake-chatgpt.js';
import { FakeRunPod } from '../support/fake-runpod.js';
import { CREATE_HYPOTHESIS, createHypothesisInput } from '../support/graphql-operations.js';
import { EXTRACT_FROM_CHATGPT } from '../support/llm-operations.js';
import { postBatch, postEvent, startedRun } from '../support/ingest.js';
import { simulatedRun } from '../support/simulated-run.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { collect, wsClient } from '../support/ws-client.js';
import { allEvents } from './support/run-events.js';
import { awaitNoLeftovers, Scenario } from './support/scenario.js';
import { freePort, ServerProcess } from './support/server-process.js';

const OPERATOR = 'sec-operator-token-0123456789abcdef';

/** An operation that calls `field` with placeholder arguments, selecting as little as possible. */
function operationFor(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>): string {
  const args = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const placeholder = (type: string) => (type.startsWith('ID') || type.startsWith('String') ? '"x"' : type.startsWith('Int') || type.startsWith('Float') ? '1' : 'null');
  const argText = args.length ? `(${args.map((a) => `${a.name}: ${placeholder(String(a.type))}`).join(', ')})` : '';
  const selection = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return `${kind} { ${field.name}${argText}${selection} }`;
}

function rootFields(schema: GraphQLSchema) {
  return [
    ...Object.values(schema.getQueryType()?.getFields() ?? {}).map((f) => ['query', f] as const),
    ...Object.values(schema.getMutationType()?.getFields() ?? {}).map((f) => ['mutation', f] as const),
  ];
}

describe('security checks', () => {
  const scenario = new Scenario('security (auth, run tokens, paths, importer, log secrets)');
  let app: TestApp;
  let pages: FakeChatGpt;
  let elsewhere: FakeChatGpt;

  beforeAll(async () => {
    pages = await FakeChatGpt.start();
    elsewhere = await FakeChatGpt.start();
    app = await startTestApp({ API_TOKENS: `ops:${OPERATOR}`, CHATGPT_TEST_ORIGINS: pages.origin, INGEST_RATE_PER_S: '0' });
  });
  afterAll(async () => {
    await app?.close();
    await pages?.close();
    await elsewhere?.close();
    scenario.counts.leakedProcesses += (await awaitNoLeftovers()).length;
    scenario.record();
  });

  const call = async (method: string, path: string, init: { token?: string; body?: string; contentType?: string; basic?: string } = {}) => {
    scenario.counts.inputsTried++;
    const headers: Record<string, string> = {};
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    if (init.basic) headers.authorization = `Basic ${Buffer.from(`${init.basic}:`).toString('base64')}`;
    if (init.body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
    const response = await scenario.fetch(`${app.url}${path}`, { method, headers, body: init.body, redirect: 'manual' });
    const text = await response.text();
    return { status: response.status, text };
  };

  it('refuses every REST route and every GraphQL operation without a token, and with a run token outside ingest', async () => {
    const run = await startedRun(app, OPERATOR);
    // Every route the app serves, from its router.
    const router = (app.app.getHttpAdapter().getInstance() as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router;
    const routes = router.stack.flatMap((layer) => (layer.route ? Object.keys(layer.route.methods).map((method) => ({ method: method.toUpperCase(), path: layer.route!.path })) : []));
    expect(routes.length).toBeGreaterThan(5);
    const open = [/^\/api\/health$/, /^\/api\/ready$/];
    // Express 5 patterns: `:id` parameters, `*key` wildcards, `{...}` optional parts.
    const concrete = (path: string) => path.replace(/:[A-Za-z]+/g, run.runId).replace(/\*[A-Za-z]+/g, 'runs/x/y.txt').replace(/[{}]/g, '');
    const api = routes.filter(({ method, path }) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method) && /^\/(api\/|graphql)/.test(concrete(path)));
    for (const { method, path } of api) {
      const target = concrete(path);
      const anonymous = await call(method, target, { body: method === 'GET' || method === 'HEAD' ? undefined : '{}' });
      if (open.some((p) => p.test(target))) expect(anonymous.status).toBeLessThan(300);
      // Signed storage URLs carry their own credential: without a valid signature they are refused.
      else if (target.startsWith('/api/storage/')) expect([400, 401, 403]).toContain(anonymous.status);
      else expect({ method, path, status: anonymous.status }).toEqual({ method, path, status: 401 });
    }
    scenario.details.routes = api.map((r) => `${r.method} ${r.path}`);

    const schema = app.app.get(GraphQLSchemaHost).schema;
    const fields = rootFields(schema);
    for (const [kind, field] of fields) {
      const query = operationFor(kind, field);
      for (const token of [undefined, run.token, 'not-a-token-0123456789abcdef']) {
        const answer = await call('POST', '/graphql', { token, body: JSON.stringify({ query }) });
        expect({ query, status: answer.status }).toEqual({ query, status: 401 });
      }
    }
    // A run token as the Basic-auth user name is no operator either.
    expect((await call('POST', '/graphql', { basic: run.token, body: JSON.stringify({ query: '{ runs { totalCount } }' }) })).status).toBe(401);
    scenario.details.graphqlOperations = fields.length;

    // Subscriptions: the connection itself is refused without a token.
    const subscriptionFields = Object.values(schema.getSubscriptionType()?.getFields() ?? {});
    for (const field of subscriptionFields) {
      for (const token of [undefined, run.token]) {
        const client = wsClient(app.url, token);
        try {
          scenario.counts.inputsTried++;
          const { done } = collect(client, operationFor('subscription', field), {}, () => true, field.name);
          await expect(done).rejects.toMatchObject({ code: 4403 });
        } finally {
          await client.dispose();
        }
      }
    }
  });

  it('keeps run tokens to their own run: no posting, presigning or reading for another run', async () => {
    const mine = await startedRun(app, OPERATOR);
    const other = await startedRun(app, OPERATOR);
    // What workers posted for the other run (the orchestrator's own status events arrive on their own time).
    const posted = async () => (await allEvents(app, other.runId, OPERATOR)).filter((e) => e.source !== 'orchestrator').length;
    const before = await posted();
    const forOther = simulatedRun(other.runId).slice(0, 5);
    scenario.counts.inputsTried += 4;
    const single = await postEvent(app, forOther[0], mine.token);
    scenario.response(single.status);
    expect(single.status).toBe(403);
    const batch = await postBatch(app, forOther, mine.token);
    scenario.response(batch.status);
    expect(batch.status).toBe(207);
    expect(batch.body).toMatchObject({ accepted: 0, invalid: 5 });
    // data.run_id naming the other run under my subject is refused too.
    const smuggled = { ...simulatedRun(mine.runId)[0], data: { run_id: other.runId } };
    const answer = await postEvent(app, smuggled, mine.token);
    scenario.response(answer.status);
    expect(answer.status).toBe(400);
    const presign = await call('POST', `/api/runs/${other.runId}/artifacts/presign`, { token: mine.token, body: JSON.stringify({ action: 'put', filename: 'x.txt' }) });
    expect(presign.status).toBe(403);
    const read = await call('GET', `/api/artifacts/${other.runId}/runs/${other.runId}/x.txt`, { token: mine.token });
    expect(read.status).toBe(401);
    expect(await posted()).toBe(before);
  });

  it('confines artifact keys to the run\'s prefix and refuses tampered signed URLs', async () => {
    const run = await startedRun(app, OPERATOR);
    const other = await startedRun(app, OPERATOR);
    const attacks = [
      '../x.txt', '../../etc/passwd', '/etc/passwd', `runs/${other.runId}/x.txt`, `runs/${run.runId}/../${other.runId}/x.txt`, '%2e%2e/x.txt',
      '..%2fx.txt', '..%252fx.txt', 'a\\..\\..\\x.txt', 'x\u0000y.txt', 'C:/x.txt', '\u202etxt.exe', 'a/../../b', 'a//b/../../../c', '.', '..', '', ' ',
      `${'a/'.repeat(300)}x`, 'x'.repeat(600), '\ud800.txt', 'plots/\r\nSet-Cookie: x=1',
    ];
    for (const key of attacks) {
      for (const body of [{ action: 'put', key }, { action: 'put', filename: key }, { action: 'get', key }]) {
        const answer = await call('POST', `/api/runs/${run.runId}/artifacts/presign`, { token: run.token, body: JSON.stringify(body) });
        expect(answer.status).toBeLessThan(500);
        if (answer.status < 300) expect(JSON.parse(answer.text).key).toMatch(new RegExp(`^runs/${run.runId}/[^]+$`));
        if (answer.status < 300) expect(JSON.parse(answer.text).key).not.toMatch(/(^|\/)\.\.?(\/|$)/);
      }
    }
    // A good URL, then the same URL with another key, another method or a later expiry: refused.
    const good = JSON.parse((await call('POST', `/api/runs/${run.runId}/artifacts/presign`, { token: run.token, body: JSON.stringify({ action: 'put', filename: 'ok.txt' }) })).text) as { url: string };
    const url = new URL(good.url, app.url);
    const tampered = [
      new URL(url.toString().replace(`runs/${run.runId}/ok.txt`, `runs/${other.runId}/ok.txt`)),
      new URL(url.toString().replace('ok.txt', '..%2f..%2fok.txt')),
      (() => {
        const u = new URL(url);
        u.searchParams.set('X-Expires', String(Number(u.searchParams.get('X-Expires')) + 3600));
        return u;
      })(),
    ];
    for (const target of tampered) {
      scenario.counts.inputsTried++;
      const response = await scenario.fetch(target, { method: 'PUT', body: 'owned' });
      expect([400, 403, 404]).toContain(response.status);
    }
    scenario.counts.inputsTried++;
    expect((await scenario.fetch(url, { method: 'GET' })).status).toBe(403);
    for (const path of [`/api/artifacts/${run.runId}/..%2f..%2fetc%2fpasswd`, `/api/artifacts/${run.runId}/runs/${other.runId}/x.txt`, `/api/artifacts/..%2f${other.runId}/x`]) {
      const answer = await call('GET', path, { token: OPERATOR });
      expect([400, 403, 404]).toContain(answer.status);
    }
  });

  it('has the ChatGPT importer refuse other hosts and redirects away, fetching nothing there', async () => {
    const urls = [
      'https://example.com/share/abcdef12', 'http://chatgpt.com/share/abcdef12', 'https://chatgpt.com.evil.test/share/abcdef12',
      'https://chatgpt.com@evil.test/share/abcdef12', 'https://evil.test/share/abcdef12#chatgpt.com', 'https://evil.test/chatgpt.com/share/abcdef12',
      'https://127.0.0.1/share/abcdef12', 'https://[::1]/share/abcdef12', 'file:///etc/passwd', 'javascript:alert(1)', 'https://chatgpt.com:8443/share/abcdef12',
      `${elsewhere.origin}/share/abcdef12`, 'https://xn--chatgpt-c9a.com/share/abcdef12', '', ' '.repeat(10), 'x'.repeat(10_000),
    ];
    for (const url of urls) {
      scenario.counts.inputsTried++;
      const answer = await app.graphql(EXTRACT_FROM_CHATGPT, { url }, OPERATOR);
      scenario.response(answer.status);
      expect(answer.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    }
    const target = elsewhere.share('stolen', { html: nextDataPage() });
    for (const redirect of [target, 'http://169.254.169.254/latest/meta-data/', 'http://127.0.0.1:1/', `//${new URL(elsewhere.origin).host}/share/x`]) {
      scenario.counts.inputsTried++;
      const url = pages.share(`6790a1b2-away-${scenario.counts.inputsTried}`, { redirect });
      const answer = await app.graphql(EXTRACT_FROM_CHATGPT, { url }, OPERATOR);
      expect(answer.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'CHATGPT_REDIRECT_REFUSED' });
    }
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('never writes a token, key, signing secret or signature to the log', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'orch-rel-secrets-'));
    const fake = await FakeRunPod.start();
    const secrets = {
      operator: 'log-scan-operator-token-0123456789abcdef',
      signing: 'log-scan-signing-secret-0123456789abcdefghij',
      openai: 'sk-log-scan-openai-key-0123456789abcdef',
      runpod: fake.apiKey,
      wrong: 'log-scan-wrong-token-0123456789abcdef',
    };
    const server = new ServerProcess(await freePort(), {
      NODE_ENV: 'production',
      LOG_LEVEL: 'trace',
      DATA_DIR: dataDir,
      API_TOKENS: `ops:${secrets.operator}`,
      STORAGE_SIGNING_SECRET: secrets.signing,
      OPENAI_API_KEY: secrets.openai,
      OPENAI_BASE_URL: 'http://127.0.0.1:1/v1',
      POD_PROVIDER: 'runpod',
      RUNPOD_API_KEY: fake.apiKey,
      RUNPOD_BASE_URL: fake.url,
      RUNPOD_WORKER_COMMAND: 'python -m worker',
      RUNPOD_REQUEST_TIMEOUT_S: '2',
      PUBLIC_URL: 'http://orchestrator.test:3000',
      REAPER_INTERVAL_S: '1',
      WATCHDOG_INTERVAL_S: '1',
    });
    try {
      await server.start();
      const gql = async (query: string, variables: Record<string, unknown> = {}, authorization = `Bearer ${secrets.operator}`) => {
        const response = await scenario.fetch(`${server.url}/graphql?token=${secrets.operator}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ query, variables }),
        });
        return (await response.json()) as { data?: any; errors?: unknown[] };
      };
      // RunPod answers with an error page echoing the key, as a misbehaving proxy might.
      fake.failNext('create', 10, { status: 400, error: `invalid api key ${fake.apiKey}` });
      const created = await gql(CREATE_HYPOTHESIS, createHypothesisInput());
      const runId = created.data.createHypothesis.run.id as string;
      await waitFor(async () => (await gql('query($id: ID!) { run(id: $id) { status } }', { id: runId })).data?.run?.status, (s) => s === 'FAILED', 20_000);
      const token = (await gql('mutation($id: ID!) { issueRunToken(runId: $id) { token } }', { id: runId })).data.issueRunToken.token as string;
      const presigned = await scenario.fetch(`${server.url}/api/runs/${runId}/artifacts/presign`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}` },
        body: JSON.stringify({ action: 'put', filename: 'paper.pdf' }),
      });
      const signed = new URL(((await presigned.json()) as { url: string }).url, server.url);
      const signature = signed.searchParams.get('X-Signature')!;
      expect(signature).toBeTruthy();
      expect((await scenario.fetch(new URL(`${signed.pathname}${signed.search}`, server.url), { method: 'PUT', body: 'x' })).status).toBe(200);
      await scenario.fetch(`${server.url}/api/ingest/event`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"broken": ' });
      await gql('{ runs { totalCount } }', {}, `Bearer ${secrets.wrong}`);
      await gql('{ runs { totalCount } }', {}, `Basic ${Buffer.from(`${secrets.wrong}:pw`).toString('base64')}`);
      await gql('mutation { analyzePaper(runId: "x") { id } }');
      await server.stop();

      const log = server.output;
      expect(log.length).toBeGreaterThan(1000);
      const found = Object.entries({ ...secrets, runToken: token, signature, basic: Buffer.from(`${token}:`).toString('base64') }).filter(([, secret]) => log.includes(secret));
      scenario.details.logBytes = log.length;
      scenario.counts.inputsTried += Object.keys(secrets).length + 3;
      expect(found.map(([name]) => name)).toEqual([]);
    } finally {
      await server.stop();
      await fake.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
