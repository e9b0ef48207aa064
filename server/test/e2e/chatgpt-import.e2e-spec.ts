import { CONVERSATION, emptyPage, nextDataPage, reactRouterPage, renderedPage, SHARE_TITLE } from '../support/chatgpt-pages.js';
import { FakeChatGpt } from '../support/fake-chatgpt.js';
import { FakeOpenAi } from '../support/fake-openai.js';
import { CHATGPT_IMPORT, EXTRACT_FROM_CHATGPT, IMPORT_FROM_CHATGPT, IDEATION } from '../support/llm-operations.js';
import { dataOf, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { collect, wsClient } from '../support/ws-client.js';

const MAX_PAGE_BYTES = 300_000;

describe('ChatGPT import without an LLM (plain extraction)', () => {
  let pages: FakeChatGpt;
  let elsewhere: FakeChatGpt;
  let app: TestApp;

  beforeAll(async () => {
    pages = await FakeChatGpt.start();
    elsewhere = await FakeChatGpt.start();
    app = await startTestApp({
      PROCESS_VALIDATOR_JOBS: 'true',
      CHATGPT_TEST_ORIGINS: pages.origin,
      CHATGPT_FETCH_TIMEOUT_MS: '1000',
      CHATGPT_MAX_PAGE_BYTES: String(MAX_PAGE_BYTES),
    });
  });
  afterAll(async () => {
    await app?.close();
    await pages?.close();
    await elsewhere?.close();
  });

  const extract = (url: string) => app.graphql(EXTRACT_FROM_CHATGPT, { url });
  const failureOf = async (url: string) => (await extract(url)).errors?.[0];

  it.each([
    ['NEXT_DATA', nextDataPage()],
    ['REACT_ROUTER_STREAM', reactRouterPage()],
    ['RENDERED_HTML', renderedPage()],
  ])('extracts title and idea from a %s page, plainly', async (format, html) => {
    const url = pages.share(`fmt-${format.toLowerCase()}`, { html });
    const extraction = dataOf(await extract(url)).extractHypothesisFromChatGpt;
    expect(extraction).toEqual({
      title: SHARE_TITLE,
      idea: CONVERSATION[0].text,
      format,
      method: 'PLAIN',
      model: null,
      transcript: CONVERSATION,
    });
  });

  it('follows a redirect within the same site', async () => {
    pages.share('moved-new', { html: nextDataPage() });
    const url = pages.share('moved-old', { redirect: '/share/moved-new', status: 301 });
    expect(dataOf(await extract(url)).extractHypothesisFromChatGpt.title).toBe(SHARE_TITLE);
  });

  it('refuses a URL on another host, an http URL and a path that is not a share, without fetching', async () => {
    const requestsBefore = pages.requests.length;
    expect(await failureOf('https://example.com/share/abcdef12')).toMatchObject({
      message: 'Not a ChatGPT share link: example.com is not chatgpt.com or chat.openai.com',
      extensions: { code: 'BAD_USER_INPUT', reason: 'CHATGPT_URL_INVALID', field: 'url', rule: 'host' },
    });
    expect(await failureOf('http://chatgpt.com/share/abcdef12')).toMatchObject({
      message: 'Not a ChatGPT share link: http is not allowed; share links use https',
      extensions: { code: 'BAD_USER_INPUT', reason: 'CHATGPT_URL_INVALID', rule: 'https' },
    });
    expect((await failureOf(`${elsewhere.origin}/share/abcdef12`))?.extensions).toMatchObject({ reason: 'CHATGPT_URL_INVALID', rule: 'https' });
    expect((await failureOf(`${pages.origin}/c/abcdef12`))?.extensions).toMatchObject({ reason: 'CHATGPT_URL_INVALID', rule: 'path' });
    expect(pages.requests.length).toBe(requestsBefore);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('refuses a redirect to another host without following it', async () => {
    const target = elsewhere.share('stolen', { html: nextDataPage() });
    const url = pages.share('redirects-away', { redirect: target });
    expect(await failureOf(url)).toMatchObject({
      message: `The share page ${url} redirects to ${target}, another site; only redirects within the same site are followed`,
      extensions: { code: 'FORBIDDEN', reason: 'CHATGPT_REDIRECT_REFUSED' },
    });
    const internal = pages.share('redirects-internal', { redirect: 'http://169.254.169.254/latest/meta-data/' });
    expect((await failureOf(internal))?.extensions).toMatchObject({ reason: 'CHATGPT_REDIRECT_REFUSED' });
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('refuses a huge page, whether its length is declared or not', async () => {
    const declared = pages.share('huge-declared', { huge: MAX_PAGE_BYTES + 1, declareLength: true });
    expect(await failureOf(declared)).toMatchObject({
      message: `The share page ${declared} is larger than ${MAX_PAGE_BYTES} bytes`,
      extensions: { code: 'PAYLOAD_TOO_LARGE', reason: 'CHATGPT_PAGE_TOO_LARGE' },
    });
    const chunked = pages.share('huge-chunked', { huge: 5 * MAX_PAGE_BYTES, declareLength: false });
    expect((await failureOf(chunked))?.extensions).toMatchObject({ reason: 'CHATGPT_PAGE_TOO_LARGE' });
  });

  it('gives up on a page that does not arrive in time', async () => {
    const url = pages.share('stalls-forever', { stall: 5000 });
    const started = Date.now();
    expect(await failureOf(url)).toMatchObject({
      message: `The share page ${url} did not arrive within 1000 ms`,
      extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'CHATGPT_FETCH_TIMEOUT' },
    });
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('reports a missing share, a page without a conversation and a page that is not HTML', async () => {
    expect((await failureOf(`${pages.origin}/share/never-shared`))?.extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'CHATGPT_SHARE_NOT_FOUND' });
    const login = pages.share('login-wall', { html: emptyPage() });
    expect((await failureOf(login))?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'CHATGPT_CONVERSATION_NOT_FOUND' });
    const json = pages.share('json-page', { html: '{"a":1}', contentType: 'application/json' });
    expect((await failureOf(json))?.extensions).toMatchObject({ reason: 'CHATGPT_NOT_HTML' });
  });

  it('imports through a job: PENDING, then COMPLETED with a hypothesis created like createHypothesis (a queued run)', async () => {
    const url = pages.share('import-me', { html: reactRouterPage() });
    const queued = dataOf(await app.graphql(IMPORT_FROM_CHATGPT, { input: { url, createdBy: 'ada' } })).importHypothesisFromChatGpt;
    expect(queued).toMatchObject({ url, extractionStatus: 'PENDING', hypothesisId: null, hypothesis: null, enableIdeation: false });
    const done = await waitFor(
      async () => dataOf(await app.graphql(CHATGPT_IMPORT, { id: queued.id })).chatGptImport,
      (i) => ['COMPLETED', 'FAILED'].includes(i.extractionStatus),
    );
    expect(done).toMatchObject({ extractionStatus: 'COMPLETED', format: 'REACT_ROUTER_STREAM', method: 'PLAIN', messageCount: 4, errorCode: null, attempts: 1 });
    expect(done.hypothesis).toMatchObject({
      id: done.hypothesisId,
      title: SHARE_TITLE,
      idea: CONVERSATION[0].text,
      chatGptUrl: url,
      ideaJson: { Title: SHARE_TITLE, Source: 'user' },
      ideation: null,
      runs: { totalCount: 1 },
    });
  });

  it('fails an import with the reason when the page cannot be read', async () => {
    const target = elsewhere.share('import-stolen', { html: nextDataPage() });
    const url = pages.share('import-redirects-away', { redirect: target });
    const queued = dataOf(await app.graphql(IMPORT_FROM_CHATGPT, { input: { url } })).importHypothesisFromChatGpt;
    const failed = await waitFor(
      async () => dataOf(await app.graphql(CHATGPT_IMPORT, { id: queued.id })).chatGptImport,
      (i) => ['COMPLETED', 'FAILED'].includes(i.extractionStatus),
    );
    expect(failed).toMatchObject({ extractionStatus: 'FAILED', errorCode: 'CHATGPT_REDIRECT_REFUSED', hypothesisId: null, attempts: 1 });
    expect(failed.errorMessage).toContain('another site');
  });

  it('streams an import\'s changes live (chatGptImportUpdated)', async () => {
    // A page that takes 500 ms and holds no conversation: time to subscribe, then a clear failure.
    const url = pages.share('import-followed', { stall: 500 });
    const queued = dataOf(await app.graphql(IMPORT_FROM_CHATGPT, { input: { url } })).importHypothesisFromChatGpt;
    const client = wsClient(app.url);
    type Change = { id: string; extractionStatus: string; errorCode: string | null };
    const changes = collect<Change>(
      client,
      `subscription($id: ID!) { chatGptImportUpdated(id: $id) { id extractionStatus errorCode } }`,
      { id: queued.id },
      (items) => items.some((i) => i.extractionStatus === 'FAILED' || i.extractionStatus === 'COMPLETED'),
      'chatGptImportUpdated',
    );
    const items = await changes.done;
    expect(items.at(-1)).toMatchObject({ id: queued.id, extractionStatus: 'FAILED', errorCode: expect.any(String) });
    expect(items.slice(0, -1).every((i) => i.extractionStatus === 'EXTRACTING')).toBe(true);
    const missing = collect(client, `subscription($id: ID!) { chatGptImportUpdated(id: $id) { id } }`, { id: '00000000-0000-4000-8000-000000000000' }, () => true, 'chatGptImportUpdated');
    await expect(missing.done).rejects.toThrow(/NOT_FOUND/);
    await client.dispose();
  });

  it('refuses an import asking for ideation when no LLM is configured, storing nothing', async () => {
    const url = pages.share('import-ideation', { html: nextDataPage() });
    const response = await app.graphql(IMPORT_FROM_CHATGPT, { input: { url, enableIdeation: true } });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'LLM_NOT_CONFIGURED', feature: 'ideation' });
    const invalid = await app.graphql(IMPORT_FROM_CHATGPT, { input: { url: 'https://example.com/share/abcdef12' } });
    expect(invalid.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'CHATGPT_URL_INVALID' });
  });
});

describe('ChatGPT import with an LLM', () => {
  let pages: FakeChatGpt;
  let fake: FakeOpenAi;
  let app: TestApp;

  beforeAll(async () => {
    pages = await FakeChatGpt.start();
    fake = await FakeOpenAi.start();
    app = await startTestApp({ ...fake.env, PROCESS_VALIDATOR_JOBS: 'true', CHATGPT_TEST_ORIGINS: pages.origin });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await app?.close();
    await pages?.close();
    await fake?.close();
  });

  const drawn = { title: 'Learned sparse attention for small transformers', idea: 'A learned top-k sparse attention keeps perplexity at lower FLOPs.' };

  it('has the model read the transcript and says so', async () => {
    fake.respond('chatgpt_hypothesis', { json: drawn, model: 'gpt-4o-mini-2024-07-18' });
    const url = pages.share('with-llm', { html: nextDataPage() });
    const extraction = dataOf(await app.graphql(EXTRACT_FROM_CHATGPT, { url })).extractHypothesisFromChatGpt;
    expect(extraction).toMatchObject({ ...drawn, method: 'LLM', model: 'gpt-4o-mini-2024-07-18', format: 'NEXT_DATA' });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].model).toBe('gpt-4o-mini');
    const prompt = fake.requests[0].messages.at(-1)!.content;
    expect(prompt).toContain(`Conversation title: ${SHARE_TITLE}`);
    expect(prompt).toContain(`User: ${CONVERSATION[0].text}`);
    expect(prompt).toContain(`ChatGPT: ${CONVERSATION[3].text}`);
    expect(prompt).not.toContain('edited away');
  });

  it('imports with ideation: the hypothesis gets an ideation instead of a run', async () => {
    fake.respond('chatgpt_hypothesis', { json: drawn });
    const idea = {
      name: 'sparse_attention',
      title: 'Learned sparse attention',
      shortHypothesis: 'Top-k attention keeps perplexity.',
      abstract: 'We test it.',
      experiments: ['WikiText-103 perplexity vs FLOPs'],
      riskFactorsAndLimitations: ['Small models only'],
      relatedWork: 'Sparse Transformers.',
    };
    fake.respond('ai_scientist_idea', { json: idea });
    fake.respond('ai_scientist_reflection', { json: { critique: 'Name the baselines.', idea: { ...idea, title: 'Learned sparse attention, refined' } } });
    const url = pages.share('with-ideation', { html: reactRouterPage() });
    const queued = dataOf(await app.graphql(IMPORT_FROM_CHATGPT, { input: { url, enableIdeation: true, reflections: 1 } })).importHypothesisFromChatGpt;
    expect(queued).toMatchObject({ enableIdeation: true, reflections: 1 });
    const done = await waitFor(
      async () => dataOf(await app.graphql(CHATGPT_IMPORT, { id: queued.id })).chatGptImport,
      (i) => ['COMPLETED', 'FAILED'].includes(i.extractionStatus),
    );
    expect(done).toMatchObject({ extractionStatus: 'COMPLETED', method: 'LLM', hypothesis: { title: drawn.title, runs: { totalCount: 0 } } });
    const ideation = await waitFor(
      async () => dataOf(await app.graphql(IDEATION, { id: done.hypothesis.ideation.requestId })).ideation,
      (i) => ['COMPLETED', 'FAILED'].includes(i.status),
    );
    expect(ideation).toMatchObject({ status: 'COMPLETED', reflectionsDone: 1 });
    expect(ideation.hypothesis.ideaJson.Title).toBe('Learned sparse attention, refined');
  });
});
