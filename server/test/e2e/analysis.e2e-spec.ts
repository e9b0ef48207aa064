import { PODS_ENV } from '../support/pods-env.js';
import { CREATE_HYPOTHESIS, createHypothesisInput } from '../support/graphql-operations.js';
import { FakeOpenAi } from '../support/fake-openai.js';
import { ON_RUN_UPDATED_ANALYSIS, REQUEST_PAPER_ANALYSIS, RUN_PAPER_ANALYSIS } from '../support/llm-operations.js';
import { aPaperPdf, PAPER_TITLE_START, runWithPaper } from '../support/papers.js';
import { dataOf, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { collect, wsClient } from '../support/ws-client.js';

const SCORES = { quality: 7.5, faithfulness: 8, innovation: 6, efficiency: 7, successRate: 0.8, reliability: 6.5, reproducibility: 8.5 };
const ASSESSMENT = {
  tradeoffs: 'No extra compute; one more hyperparameter schedule.',
  hypothesisProof: 'The ablations support the hypothesis on CIFAR-100 only.',
  conclusion: 'A small, well-executed study.',
  novelty: 'Scheduling label smoothing by confidence is new; label smoothing is not.',
  recommendations: 'Test on ImageNet-1k and with strong augmentation.',
};
const RANGES: Record<string, [number, number]> = {
  quality: [0, 10],
  faithfulness: [0, 10],
  innovation: [0, 10],
  efficiency: [0, 10],
  successRate: [0, 1],
  reliability: [0, 10],
  reproducibility: [0, 10],
};

function scriptAnalysis(fake: FakeOpenAi, scores: Record<string, unknown> = SCORES) {
  fake.respond('paper_quantitative_scores', { json: scores, usage: { prompt: 3000, completion: 60 }, model: 'gpt-4o-mini-2024-07-18' });
  fake.respond('paper_qualitative_assessment', { json: ASSESSMENT, usage: { prompt: 3100, completion: 400 }, model: 'gpt-4o-2024-08-06' });
}

function expectInRange(quantitative: Record<string, number>) {
  expect(Object.keys(quantitative).sort()).toEqual(Object.keys(RANGES).sort());
  for (const [name, [min, max]] of Object.entries(RANGES)) {
    expect(typeof quantitative[name]).toBe('number');
    expect(quantitative[name]).toBeGreaterThanOrEqual(min);
    expect(quantitative[name]).toBeLessThanOrEqual(max);
  }
}

describe('paper analysis (real app, fake OpenAI-compatible server)', () => {
  let fake: FakeOpenAi;
  let app: TestApp;
  let pdf: Buffer;

  beforeAll(async () => {
    fake = await FakeOpenAi.start();
    app = await startTestApp({
      ...fake.env,
      PROCESS_VALIDATOR_JOBS: 'true',
      LLM_MAX_RETRIES: '2',
      LLM_RETRY_BASE_DELAY_MS: '20',
      ANALYSIS_MAX_PAPER_CHARS: '20000',
    });
    pdf = (await aPaperPdf()).bytes;
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const runOf = async (id: string) => dataOf(await app.graphql(RUN_PAPER_ANALYSIS, { id })).run;
  const settled = (id: string, timeoutMs = 30_000) =>
    waitFor(() => runOf(id), (run) => ['DONE', 'FAILED'].includes(run.paperAnalysis?.status), timeoutMs);

  it('reads the paper PDF, asks both models with strict schemas, and stores every field in range with models and usage', async () => {
    scriptAnalysis(fake);
    const { runId, key } = await runWithPaper(app, pdf);
    const queued = dataOf(await app.graphql(REQUEST_PAPER_ANALYSIS, { runId })).requestPaperAnalysis;
    expect(queued).toMatchObject({ runId, status: 'QUEUED', current: true, attempts: 0, quantitative: null });

    const run = await settled(runId);
    const analysis = run.paperAnalysis;
    expect(analysis).toMatchObject({
      id: queued.id,
      status: 'DONE',
      attempts: 1,
      errorCode: null,
      qualitative: ASSESSMENT,
      models: { quantitative: 'gpt-4o-mini-2024-07-18', qualitative: 'gpt-4o-2024-08-06' },
      usage: { promptTokens: 6100, completionTokens: 460, totalTokens: 6560 },
      paper: { artifactKey: key, pages: expect.any(Number), truncated: false },
    });
    expectInRange(analysis.quantitative);
    expect(analysis.quantitative).toEqual(SCORES);
    expect(analysis.paper.extractedChars).toBe(analysis.paper.analyzedChars);
    expect(analysis.paper.pages).toBeGreaterThanOrEqual(2);

    // The model saw the paper's extracted text and the hypothesis; the schema states each range.
    expect(fake.requests.map((r) => [r.schemaName, r.model])).toEqual([
      ['paper_quantitative_scores', 'gpt-4o-mini'],
      ['paper_qualitative_assessment', 'gpt-4o'],
    ]);
    const prompt = fake.requests[0].messages.at(-1)!.content;
    expect(prompt).toContain(PAPER_TITLE_START);
    expect(prompt).toContain('In conclusion, the curriculum is a free improvement.');
    expect(prompt).toContain('Title: Sparse attention');
    expect(prompt).not.toContain('omitted');
    const schema = fake.requests[0].body.response_format.json_schema;
    expect(schema).toMatchObject({ strict: true, schema: { required: Object.keys(RANGES), additionalProperties: false } });
    expect(schema.schema.properties.successRate).toMatchObject({ type: 'number', minimum: 0, maximum: 1 });
    expect(schema.schema.properties.quality).toMatchObject({ type: 'number', minimum: 0, maximum: 10 });
  });

  it('publishes each status change on runUpdated', async () => {
    fake.respond('paper_quantitative_scores', { delayMs: 400, then: { json: SCORES } });
    fake.respond('paper_qualitative_assessment', { json: ASSESSMENT });
    const { runId } = await runWithPaper(app, pdf);
    const client = wsClient(app.url);
    const updates = collect<{ paperAnalysis: { status: string } | null }>(
      client,
      ON_RUN_UPDATED_ANALYSIS,
      { runId },
      (items) => items.at(-1)?.paperAnalysis?.status === 'DONE',
      'runUpdated',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    dataOf(await app.graphql(REQUEST_PAPER_ANALYSIS, { runId }));
    const seen = (await updates.done).map((u) => u.paperAnalysis?.status);
    await client.dispose();
    expect(seen).toContain('RUNNING');
    expect(seen.at(-1)).toBe('DONE');
  });

  it('retries a malformed answer within the job\'s attempts, then fails with a clear reason', async () => {
    const { runId } = await runWithPaper(app, pdf);
    // First attempt: a score outside its range; second attempt: a valid answer.
    fake.enqueue({ json: { ...SCORES, quality: 12 } });
    scriptAnalysis(fake);
    dataOf(await app.graphql(REQUEST_PAPER_ANALYSIS, { runId }));
    const recovered = (await settled(runId)).paperAnalysis;
    expect(recovered).toMatchObject({ status: 'DONE', attempts: 2, errorCode: null, quantitative: SCORES });
    expect(fake.requestsFor('paper_quantitative_scores')).toHaveLength(2);

    fake.reset();
    fake.respond('paper_quantitative_scores', { content: 'I would rate this paper highly overall.' });
    const again = await runWithPaper(app, pdf);
    dataOf(await app.graphql(REQUEST_PAPER_ANALYSIS, { runId: again.runId }));
    const failed = (await settled(again.runId)).paperAnalysis;
    expect(failed).toMatchObject({ status: 'FAILED', attempts: 3, errorCode: 'LLM_MALFORMED_RESPONSE', quantitative: null });
    expect(failed.errorMessage).toBe(
      'The paper analysis answer of model gpt-4o-mini is malformed: the answer is not JSON (starts with "I would rate this paper highly overall.")',
    );
    // The job's three attempts, no more.
    expect(fake.requestsFor('paper_quantitative_scores')).toHaveLength(3);
  });

  it('names the broken field and rule when an answer breaks the schema', async () => {
    fake.respond('paper_quantitative_scores', { json: { ...SCORES, successRate: 80 } });
    const { runId } = await runWithPaper(app, pdf);
    dataOf(await app.graphql(REQUEST_PAPER_ANALYSIS, { runId }));
    const queuedAgain = await waitFor(() => runOf(runId), (run) => run.paperAnalysis.errorCode !== null);
    expect(queuedAgain.paperAnalysis.errorMessage).toMatch(
      /^Attempt 1 of 3 failed \(retrying\): The paper analysis answer of model gpt-4o-mini is malformed: failed validation: successRate must not be greater than 1 \(got 80\)$/,
    );
    await settled(runId);
  });

  it('retries a 429 after its Retry-After and completes', async () => {
    fake.enqueue({ status: 429, message: 'Rate limit reached for gpt-4o-mini', retryAfter: 1 });
    scriptAnalysis(fake);
    const { runId } = await runWithPaper(app, pdf);
    dataOf(await app.graphql(REQUEST_PAPER_ANALYSIS, { runId }));
    const started = Date.now();
    const run = await settled(runId);
    expect(run.paperAnalysis).toMatchObject({ status: 'DONE', attempts: 1 });
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('cuts a paper beyond the budget deliberately and says so', async () => {
    scriptAnalysis(fake);
    const long = await aPaperPdf(24);
    const { runId } = await runWithPaper(app, long.bytes);
    dataOf(await app.graphql(REQUEST_PAPER_ANALYSIS, { runId }));
    const { paper } = (await settled(runId)).paperAnalysis;
    expect(paper.truncated).toBe(true);
    expect(paper.extractedChars).toBeGreaterThan(20_000);
    expect(paper.analyzedChars).toBe(20_000);
    const prompt = fake.requests[0].messages.at(-1)!.content;
    expect(prompt).toMatch(/The paper was too long to send whole: \d+ characters from its middle were omitted/);
    expect(prompt).toContain(PAPER_TITLE_START);
    // The end (conclusion) is kept.
    expect(prompt).toContain('In conclusion, the curriculum is a free improvement.');
    expect(prompt.length).toBeLessThan(22_000);
  });

  it('replaces the analysis on a new request and keeps the previous one in history; a request in flight is not repeated', async () => {
    scriptAnalysis(fake);
    const { runId } = await runWithPaper(app, pdf);
    const first = dataOf(await app.graphql(REQUEST_PAPER_ANALYSIS, { runId })).requestPaperAnalysis;
    const same = dataOf(await app.graphql(REQUEST_PAPER_ANALYSIS, { runId })).requestPaperAnalysis;
    expect(same.id).toBe(first.id);
    await settled(runId);
    const second = dataOf(await app.graphql(REQUEST_PAPER_ANALYSIS, { runId })).requestPaperAnalysis;
    expect(second.id).not.toBe(first.id);
    const run = await waitFor(() => runOf(runId), (r) => r.paperAnalysis.id === second.id && r.paperAnalysis.status === 'DONE');
    expect(run.paperAnalysisHistory).toEqual([{ id: first.id, status: 'DONE', current: false }]);
    expect(fake.requests).toHaveLength(4);
  });

  it('refuses a run without a paper, and an unknown run', async () => {
    const { run } = dataOf(await app.graphql(CREATE_HYPOTHESIS, createHypothesisInput())).createHypothesis;
    const response = await app.graphql(REQUEST_PAPER_ANALYSIS, { runId: run.id });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'PAPER_NOT_AVAILABLE', runId: run.id });
    const unknown = await app.graphql(REQUEST_PAPER_ANALYSIS, { runId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'RUN_NOT_FOUND' });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('paper analysis without an LLM configured', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ PROCESS_VALIDATOR_JOBS: 'true' });
  });
  afterAll(() => app?.close());

  it('answers LLM_NOT_CONFIGURED and queues nothing', async () => {
    const { runId } = await runWithPaper(app, (await aPaperPdf(1)).bytes);
    const response = await app.graphql(REQUEST_PAPER_ANALYSIS, { runId });
    expect(response.errors?.[0]).toMatchObject({
      message: 'Paper analysis needs an LLM and none is configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for an OpenAI-compatible server)',
      extensions: { code: 'SERVICE_UNAVAILABLE', reason: 'LLM_NOT_CONFIGURED', feature: 'paper analysis' },
    });
    expect((await app.graphql(RUN_PAPER_ANALYSIS, { id: runId })).data?.run.paperAnalysis).toBeNull();
  });
});

describe('paper analysis of the demo worker\'s paper (local pods, real worker)', () => {
  let fake: FakeOpenAi;
  let app: TestApp;

  beforeAll(async () => {
    fake = await FakeOpenAi.start();
    app = await startTestApp({ ...PODS_ENV, ...fake.env });
  });
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  it('analyses the paper the demo worker wrote and uploaded', async () => {
    scriptAnalysis(fake);
    const { run } = dataOf(await app.graphql(CREATE_HYPOTHESIS, createHypothesisInput())).createHypothesis;
    const finished = await waitFor(
      async () => dataOf(await app.graphql(RUN_PAPER_ANALYSIS, { id: run.id })).run,
      (r) => r.paper?.status === 'GENERATED' || r.status === 'FAILED',
      120_000,
      250,
    );
    expect(finished.paper.artifactKey).toMatch(new RegExp(`^runs/${run.id}/.+\\.pdf$`));
    dataOf(await app.graphql(REQUEST_PAPER_ANALYSIS, { runId: run.id }));
    const analysed = await waitFor(
      async () => dataOf(await app.graphql(RUN_PAPER_ANALYSIS, { id: run.id })).run,
      (r) => ['DONE', 'FAILED'].includes(r.paperAnalysis?.status),
      60_000,
    );
    expect(analysed.paperAnalysis).toMatchObject({ status: 'DONE', paper: { artifactKey: finished.paper.artifactKey, truncated: false } });
    expectInRange(analysed.paperAnalysis.quantitative);
    expect(analysed.paperAnalysis.paper.pages).toBeGreaterThanOrEqual(3);
    // The demo paper's own words reached the model.
    expect(fake.requests[0].messages.at(-1)!.content).toMatch(/label smoothing/i);
  });
});
