import { FakeOpenAi, type FakeChatRequest } from '../support/fake-openai.js';
import { LAUNCH_RUN } from '../support/graphql-operations.js';
import { CREATE_HYPOTHESIS_WITH_IDEATION, IDEATION, IDEATION_SUMMARY, IDEATIONS } from '../support/llm-operations.js';
import { dataOf, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { collect, wsClient } from '../support/ws-client.js';

const idea = (title: string) => ({
  name: 'Curriculum Label Smoothing',
  title,
  shortHypothesis: 'Annealing label smoothing as training confidence grows improves accuracy and calibration of small ViTs.',
  abstract: 'We propose a confidence-driven curriculum for the label smoothing factor and test it on CIFAR-100.',
  experiments: ['Constant smoothing baseline vs curriculum on CIFAR-100 (accuracy, ECE)', 'Ablation over the final smoothing value'],
  riskFactorsAndLimitations: ['Gains may vanish with strong augmentation'],
  relatedWork: 'Label smoothing (Szegedy et al.), curriculum learning (Bengio et al.), temperature scaling.',
});

const input = (overrides: Record<string, unknown> = {}) => ({
  input: { title: 'Curriculum label smoothing', idea: 'Anneal label smoothing as the model grows confident.', enableIdeation: true, reflections: 3, ...overrides },
});

/** The fake drafts an idea, then each reflection round returns a sharper title; it records the round it was asked for. */
function scriptIdeation(fake: FakeOpenAi) {
  fake.respond('ai_scientist_idea', { json: idea('Draft title'), usage: { prompt: 100, completion: 50 } });
  fake.respond('ai_scientist_reflection', (request: FakeChatRequest) => {
    const round = /Round (\d+) of (\d+)/.exec(request.messages.at(-1)!.content)![1];
    return { json: { critique: `Critique ${round}: experiments too vague.`, idea: idea(`Refined title ${round}`) }, usage: { prompt: 200, completion: 80 } };
  });
}

describe('ideation (real app, fake OpenAI-compatible server)', () => {
  let fake: FakeOpenAi;
  let app: TestApp;

  beforeAll(async () => {
    fake = await FakeOpenAi.start();
    app = await startTestApp({ ...fake.env, PROCESS_VALIDATOR_JOBS: 'true', LLM_MAX_RETRIES: '1', LLM_RETRY_BASE_DELAY_MS: '20' });
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await app?.close();
    await fake?.close();
  });

  const ideationOf = async (id: string) => dataOf(await app.graphql(IDEATION, { id })).ideation;

  it('queues an ideation instead of a run; 3 reflections make 4 model calls and end COMPLETED with a valid idea', async () => {
    scriptIdeation(fake);
    const created = dataOf(await app.graphql(CREATE_HYPOTHESIS_WITH_IDEATION, input())).createHypothesis;
    expect(created.run).toBeNull();
    expect(created.ideation).toMatchObject({ status: 'QUEUED', reflections: 3, autoLaunch: false });
    expect(created.hypothesis.ideation).toEqual({ requestId: created.ideation.id, status: 'QUEUED', reflections: 3, ideas: [] });
    // Until the ideation completes, the idea JSON is the person's own words, marked as such.
    expect(created.hypothesis.ideaJson).toMatchObject({ Title: 'Curriculum label smoothing', Source: 'user' });

    const done = await waitFor(() => ideationOf(created.ideation.id), (i) => i.status === 'COMPLETED' || i.status === 'FAILED');
    expect(done).toMatchObject({ status: 'COMPLETED', reflectionsDone: 3, errorCode: null, runId: null, attempts: 1 });
    expect(fake.requests).toHaveLength(4);
    expect(fake.requests.map((r) => r.schemaName)).toEqual(['ai_scientist_idea', 'ai_scientist_reflection', 'ai_scientist_reflection', 'ai_scientist_reflection']);
    expect(fake.requests.every((r) => r.model === 'gpt-4o')).toBe(true);
    // Each round critiques the previous round's version.
    expect(fake.requests[1].messages.at(-1)!.content).toContain('"Title": "Draft title"');
    expect(fake.requests[3].messages.at(-1)!.content).toContain('"Title": "Refined title 2"');
    expect(done.rounds.map((r: { round: number; critique: string | null }) => [r.round, r.critique])).toEqual([
      [0, null],
      [1, 'Critique 1: experiments too vague.'],
      [2, 'Critique 2: experiments too vague.'],
      [3, 'Critique 3: experiments too vague.'],
    ]);
    expect(done.usage).toEqual({ promptTokens: 700, completionTokens: 290, totalTokens: 990 });

    const finalIdea = {
      Name: 'curriculum_label_smoothing',
      Title: 'Refined title 3',
      'Short Hypothesis': idea('').shortHypothesis,
      'Related Work': idea('').relatedWork,
      Abstract: idea('').abstract,
      Experiments: idea('').experiments,
      'Risk Factors and Limitations': idea('').riskFactorsAndLimitations,
    };
    expect(done.ideas).toEqual([finalIdea]);
    expect(done.hypothesis.ideaJson).toEqual(finalIdea);
    expect(done.hypothesis.ideation).toEqual({ requestId: done.id, status: 'COMPLETED', reflections: 3, ideas: [finalIdea] });

    // The person launches the run from the refined hypothesis.
    const run = dataOf(await app.graphql(LAUNCH_RUN, { hypothesisId: done.hypothesisId })).launchRun;
    expect(run).toMatchObject({ status: 'QUEUED' });
  });

  it('refuses launchRun while the ideation is still queued or running', async () => {
    fake.respond('ai_scientist_idea', { delayMs: 1500, then: { json: idea('Slow draft') } });
    fake.respond('ai_scientist_reflection', { json: { critique: 'fine', idea: idea('Slow refined') } });
    const created = dataOf(await app.graphql(CREATE_HYPOTHESIS_WITH_IDEATION, input({ reflections: 1 }))).createHypothesis;
    const refused = await app.graphql(LAUNCH_RUN, { hypothesisId: created.hypothesis.id });
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'IDEATION_IN_PROGRESS', ideationId: created.ideation.id });
    await waitFor(() => ideationOf(created.ideation.id), (i) => i.status === 'COMPLETED');
  });

  it('with autoLaunch, queues a run as soon as the ideation completes', async () => {
    scriptIdeation(fake);
    const created = dataOf(await app.graphql(CREATE_HYPOTHESIS_WITH_IDEATION, input({ reflections: 1, autoLaunch: true }))).createHypothesis;
    const done = await waitFor(() => ideationOf(created.ideation.id), (i) => i.runId !== null || i.status === 'FAILED');
    expect(done).toMatchObject({ status: 'COMPLETED', autoLaunch: true });
    expect(fake.requests).toHaveLength(2);
    const run = dataOf(await app.graphql(`query($id: ID!) { run(id: $id) { status hypothesisId } }`, { id: done.runId })).run;
    expect(run).toEqual({ status: 'QUEUED', hypothesisId: created.hypothesis.id });
  });

  it('streams every change of a request live (ideationsChanged), with the hypothesis mirror up to date', async () => {
    scriptIdeation(fake);
    const client = wsClient(app.url);
    type Change = { id: string; status: string; reflectionsDone: number; runId: string | null; hypothesis: { ideation: { status: string } } };
    const selection = `{ id status reflectionsDone runId hypothesis { ideation { status } } }`;
    let ideationId = '';
    const all = collect<Change>(
      client,
      `subscription { ideationsChanged ${selection} }`,
      {},
      (items) => items.some((i) => i.id === ideationId && i.runId !== null),
      'ideationsChanged',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const created = dataOf(await app.graphql(CREATE_HYPOTHESIS_WITH_IDEATION, input({ reflections: 2, autoLaunch: true }))).createHypothesis;
    ideationId = created.ideation.id;
    const changes = (await all.done).filter((i) => i.id === ideationId);
    expect(changes.map((i) => [i.status, i.reflectionsDone])).toEqual([
      ['QUEUED', 0],
      ['RUNNING', 0],
      ['RUNNING', 0], // the draft
      ['RUNNING', 1],
      ['RUNNING', 2],
      ['COMPLETED', 2],
      ['COMPLETED', 2], // the auto-launched run
    ]);
    expect(changes.at(-2)!.hypothesis.ideation.status).toBe('COMPLETED');
    expect(changes.at(-1)!.runId).toEqual(expect.any(String));

    const missing = collect(client, `subscription($id: ID) { ideationsChanged(id: $id) { id } }`, { id: '00000000-0000-4000-8000-000000000000' }, () => true, 'ideationsChanged');
    await expect(missing.done).rejects.toThrow(/IDEATION_NOT_FOUND/);
    await client.dispose();
  });

  it('ends FAILED with the reason when the model keeps failing, after its attempts, and keeps the hypothesis launchable', async () => {
    fake.respond('ai_scientist_idea', { status: 503, message: 'The model is overloaded' });
    const created = dataOf(await app.graphql(CREATE_HYPOTHESIS_WITH_IDEATION, input())).createHypothesis;
    const failed = await waitFor(() => ideationOf(created.ideation.id), (i) => i.status === 'FAILED' || i.status === 'COMPLETED', 30_000);
    expect(failed).toMatchObject({ status: 'FAILED', errorCode: 'LLM_UNAVAILABLE', attempts: 2, ideas: [] });
    expect(failed.errorMessage).toMatch(/failed the ideation request on all 2 attempts: HTTP 503: The model is overloaded/);
    // Two job attempts, each one call retried once by the client.
    expect(fake.requests).toHaveLength(4);
    expect(failed.hypothesis.ideation).toMatchObject({ status: 'FAILED' });
    expect(failed.hypothesis.ideaJson).toMatchObject({ Source: 'user' });
    expect(dataOf(await app.graphql(LAUNCH_RUN, { hypothesisId: failed.hypothesisId })).launchRun).toMatchObject({ status: 'QUEUED' });
  });

  it('fails with the reason naming the field when every attempt gets a malformed answer', async () => {
    fake.respond('ai_scientist_idea', { json: { ...idea('x'), experiments: [] } });
    const created = dataOf(await app.graphql(CREATE_HYPOTHESIS_WITH_IDEATION, input({ reflections: 1 }))).createHypothesis;
    const failed = await waitFor(() => ideationOf(created.ideation.id), (i) => i.status === 'FAILED', 30_000);
    expect(failed.errorCode).toBe('LLM_MALFORMED_RESPONSE');
    expect(failed.errorMessage).toMatch(/experiments must contain at least 1 elements/);
  });

  it('lists ideations with counts per status, filters them, and sums them up', async () => {
    const all = dataOf(await app.graphql(IDEATIONS, { first: 2 })).ideations;
    expect(all.totalCount).toBeGreaterThanOrEqual(5);
    expect(all.nodes).toHaveLength(2);
    expect(all.pageInfo.hasNextPage).toBe(true);
    const counts = all.countsByStatus;
    expect(counts.total).toBe(all.totalCount);
    expect(counts.completed).toBeGreaterThanOrEqual(3);
    expect(counts.failed).toBeGreaterThanOrEqual(2);
    const failed = dataOf(await app.graphql(IDEATIONS, { status: 'FAILED', first: 50 })).ideations;
    expect(failed.totalCount).toBe(counts.failed);
    expect(failed.nodes.every((n: { status: string }) => n.status === 'FAILED')).toBe(true);
    const one = failed.nodes[0];
    const ofHypothesis = dataOf(await app.graphql(IDEATIONS, { hypothesisId: one.hypothesisId })).ideations;
    expect(ofHypothesis).toMatchObject({ totalCount: 1, nodes: [{ id: one.id }], countsByStatus: { failed: 1, total: 1 } });
    expect(dataOf(await app.graphql(IDEATION_SUMMARY)).ideationSummary).toEqual(counts);
  });

  it('rejects reflections outside 1 to 10 naming the field', async () => {
    const response = await app.graphql(CREATE_HYPOTHESIS_WITH_IDEATION, input({ reflections: 11 }));
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'reflections', rule: 'max' }] });
    const missing = await app.graphql(IDEATION, { id: '00000000-0000-4000-8000-000000000000' });
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'IDEATION_NOT_FOUND' });
  });
});

describe('ideation without an LLM configured', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ PROCESS_VALIDATOR_JOBS: 'true' });
  });
  afterAll(() => app?.close());

  it('answers LLM_NOT_CONFIGURED and stores nothing', async () => {
    const response = await app.graphql(CREATE_HYPOTHESIS_WITH_IDEATION, input());
    expect(response.errors?.[0].message).toBe(
      'Ideation needs an LLM and none is configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for an OpenAI-compatible server)',
    );
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'LLM_NOT_CONFIGURED', feature: 'ideation' });
    expect(dataOf(await app.graphql(`{ hypotheses { totalCount } }`)).hypotheses.totalCount).toBe(0);
    expect(dataOf(await app.graphql(IDEATION_SUMMARY)).ideationSummary.total).toBe(0);
  });
});
