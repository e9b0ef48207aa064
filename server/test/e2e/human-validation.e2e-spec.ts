import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { RunsService } from '../../src/runs/runs.service.js';
import { postBatch, startedRun } from '../support/ingest.js';
import { dataOf, startTestApp, type TestApp } from '../support/test-app.js';

const ALICE = 'alice-token-0123456789abcdef';
const BOB = 'bob-token-0123456789abcdef01';

const SUBMIT = /* GraphQL */ `
  mutation Submit($runId: ID!, $verdict: Verdict!, $rubric: [RubricScoreInput!], $notes: String) {
    submitHumanValidation(runId: $runId, verdict: $verdict, rubric: $rubric, notes: $notes) {
      run { id status statusHistory { from to by reason } }
      validation { kind status verdict scores { name score } notes reviewer completedAt }
    }
  }
`;

const VALIDATIONS = /* GraphQL */ `
  query Validations($id: ID!) {
    run(id: $id) { status validations { kind status verdict reviewer scores { name score } review } }
  }
`;

const QUEUE = /* GraphQL */ `
  query Queue($first: Int, $after: String) {
    validationQueue(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { run { id status hypothesis { title } } autoValidation { kind verdict scores { name score } } }
    }
  }
`;

type Step = 'started' | 'autoStarted' | 'autoCompleted' | 'completed';

/** Posts a worker's events for the run, in order: what the auto validation and completion look like on the wire. */
async function play(app: TestApp, run: { runId: string; token: string }, steps: Step[]) {
  const at = Date.now();
  const data: Record<Step, [string, Record<string, unknown>]> = {
    started: ['ai.run.started', { pod_id: 'pod-1' }],
    autoStarted: ['ai.validation.auto_started', { model: 'gpt-review', rubric_version: 'v2' }],
    autoCompleted: ['ai.validation.auto_completed', { verdict: 'pass', scores: { novelty: 7, clarity: 8 }, notes: '{"strengths":["clear"]}' }],
    completed: ['ai.run.completed', { total_duration_s: 12 }],
  };
  const events = steps.map((step, i) => ({
    specversion: '1.0',
    id: randomUUID(),
    source: 'worker://e2e/lifecycle',
    type: data[step][0],
    subject: `run/${run.runId}`,
    time: new Date(at + i).toISOString(),
    datacontenttype: 'application/json',
    data: { run_id: run.runId, ...data[step][1] },
    extensions: { seq: i + 1 },
  }));
  expect((await postBatch(app, events, run.token)).status).toBe(202);
}

const awaitingHuman = async (app: TestApp) => {
  const run = await startedRun(app, ALICE);
  await play(app, run, ['started', 'autoStarted', 'autoCompleted']);
  return run;
};

/** COMPLETED with an automatic validation: the worker reported the review before its status could move (no auto_started). */
const completedWithAuto = async (app: TestApp) => {
  const run = await startedRun(app, ALICE);
  await play(app, run, ['started', 'autoCompleted', 'completed']);
  return run;
};

describe('human validation (real app)', () => {
  let app: TestApp;
  const statusOf = async (runId: string) => dataOf(await app.graphql(VALIDATIONS, { id: runId }, ALICE)).run.status;

  beforeAll(async () => {
    app = await startTestApp({ API_TOKENS: `alice:${ALICE},bob:${BOB}` });
  });
  afterAll(() => app.close());

  describe('submitHumanValidation', () => {
    it('records the verdict by the token\'s name and moves an AWAITING_HUMAN run to HUMAN_VALIDATED', async () => {
      const { runId } = await awaitingHuman(app);
      expect(await statusOf(runId)).toBe('AWAITING_HUMAN');

      const rubric = [{ name: 'novelty', score: 6 }, { name: 'soundness', score: 4.5 }];
      const submitted = dataOf(await app.graphql(SUBMIT, { runId, verdict: 'FAIL', rubric, notes: 'Baselines are too weak.' }, BOB)).submitHumanValidation;
      expect(submitted.validation).toMatchObject({ kind: 'HUMAN', status: 'COMPLETED', verdict: 'FAIL', scores: rubric, notes: 'Baselines are too weak.', reviewer: 'bob' });
      expect(submitted.run.status).toBe('HUMAN_VALIDATED');
      expect(submitted.run.statusHistory.at(-1)).toEqual({ from: 'AWAITING_HUMAN', to: 'HUMAN_VALIDATED', by: 'bob', reason: 'human validation: FAIL' });

      const { run } = dataOf(await app.graphql(VALIDATIONS, { id: runId }, ALICE));
      expect(run.validations).toEqual([
        { kind: 'AUTO', status: 'COMPLETED', verdict: 'PASS', reviewer: null, scores: [{ name: 'novelty', score: 7 }, { name: 'clarity', score: 8 }], review: { strengths: ['clear'] } },
        { kind: 'HUMAN', status: 'COMPLETED', verdict: 'FAIL', reviewer: 'bob', scores: rubric, review: null },
      ]);
    });

    it('records the status change in the run\'s event feed', async () => {
      const { runId } = await awaitingHuman(app);
      dataOf(await app.graphql(SUBMIT, { runId, verdict: 'PASS' }, ALICE));
      // The feed entry is appended just after the change itself.
      let events: any[] = [];
      for (let attempt = 0; attempt < 50 && !events.some((e) => e.data?.to === 'HUMAN_VALIDATED'); attempt++) {
        if (attempt > 0) await delay(20);
        events = dataOf(await app.graphql(`query($id: ID!) { run(id: $id) { events(first: 5) { nodes { type data } } } }`, { id: runId }, ALICE)).run.events.nodes;
      }
      expect(events).toContainEqual(expect.objectContaining({ data: expect.objectContaining({ from: 'AWAITING_HUMAN', to: 'HUMAN_VALIDATED', by: 'alice' }) }));
    });

    it('reviews a COMPLETED run too', async () => {
      const { runId } = await completedWithAuto(app);
      expect(await statusOf(runId)).toBe('COMPLETED');
      const submitted = dataOf(await app.graphql(SUBMIT, { runId, verdict: 'PASS' }, ALICE)).submitHumanValidation;
      expect(submitted.run.status).toBe('HUMAN_VALIDATED');
    });

    it('refuses a RUNNING run with CONFLICT, recording nothing', async () => {
      const run = await startedRun(app, ALICE);
      await play(app, run, ['started']);
      const response = await app.graphql(SUBMIT, { runId: run.runId, verdict: 'PASS' }, ALICE);
      expect(response.errors?.[0]).toMatchObject({
        message: expect.stringContaining('is RUNNING'),
        extensions: { code: 'CONFLICT', reason: 'RUN_NOT_AWAITING_REVIEW', status: 'RUNNING' },
      });
      const { run: after } = dataOf(await app.graphql(VALIDATIONS, { id: run.runId }, ALICE));
      expect(after).toMatchObject({ status: 'RUNNING', validations: [] });
    });

    it('refuses a second review with CONFLICT naming the first', async () => {
      const { runId } = await awaitingHuman(app);
      dataOf(await app.graphql(SUBMIT, { runId, verdict: 'PASS' }, ALICE));
      const again = await app.graphql(SUBMIT, { runId, verdict: 'FAIL' }, BOB);
      expect(again.errors?.[0]).toMatchObject({
        message: expect.stringContaining('already reviewed by alice'),
        extensions: { code: 'CONFLICT', reason: 'RUN_ALREADY_REVIEWED', reviewer: 'alice', verdict: 'PASS' },
      });
    });

    it('records exactly one of several concurrent submissions', async () => {
      const { runId } = await awaitingHuman(app);
      const responses = await Promise.all(
        Array.from({ length: 6 }, (_, i) => app.graphql(SUBMIT, { runId, verdict: i % 2 ? 'PASS' : 'FAIL' }, i % 2 ? ALICE : BOB)),
      );
      const succeeded = responses.filter((r) => !r.errors);
      expect(succeeded).toHaveLength(1);
      for (const refused of responses.filter((r) => r.errors)) expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');

      const { run } = dataOf(await app.graphql(VALIDATIONS, { id: runId }, ALICE));
      expect(run.status).toBe('HUMAN_VALIDATED');
      const human = run.validations.filter((v: any) => v.kind === 'HUMAN');
      expect(human).toHaveLength(1);
      expect(human[0].verdict).toBe(succeeded[0].data!.submitHumanValidation.validation.verdict);
      const history = dataOf(await app.graphql(`query($id: ID!) { run(id: $id) { statusHistory { to } } }`, { id: runId }, ALICE)).run.statusHistory;
      expect(history.filter((t: any) => t.to === 'HUMAN_VALIDATED')).toHaveLength(1);
    });

    it.each([
      ['a score out of range', { rubric: [{ name: 'novelty', score: 120 }] }, 'rubric.0.score'],
      ['a rubric item named twice', { rubric: [{ name: 'novelty', score: 1 }, { name: 'novelty', score: 2 }] }, 'rubric'],
      ['an empty rubric name', { rubric: [{ name: '', score: 1 }] }, 'rubric.0.name'],
    ])('refuses %s with BAD_USER_INPUT naming the field', async (_what, input, field) => {
      const { runId } = await awaitingHuman(app);
      const response = await app.graphql(SUBMIT, { runId, verdict: 'PASS', ...input }, ALICE);
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: expect.arrayContaining([expect.objectContaining({ field })]) });
      expect(await statusOf(runId)).toBe('AWAITING_HUMAN');
    });

    it('answers NOT_FOUND for an unknown run', async () => {
      const response = await app.graphql(SUBMIT, { runId: randomUUID(), verdict: 'PASS' }, ALICE);
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'RUN_NOT_FOUND' });
    });
  });
});

describe('validationQueue (real app)', () => {
  let app: TestApp;
  const queue = async (first: number, after?: string) => dataOf(await app.graphql(QUEUE, { first, after }, ALICE)).validationQueue;

  beforeAll(async () => {
    app = await startTestApp({ API_TOKENS: `alice:${ALICE}` });
  });
  afterAll(() => app.close());

  it('lists runs waiting for a human, oldest first, paged, with their auto validation and hypothesis; a review removes a run', async () => {
    const first = await awaitingHuman(app);
    const running = await startedRun(app, ALICE);
    await play(app, running, ['started']);
    const completed = await completedWithAuto(app);
    const bare = await startedRun(app, ALICE);
    await play(app, bare, ['started', 'completed']);
    const hidden = await awaitingHuman(app);
    await app.app.get(RunsService).setHidden(hidden.runId, true);
    const reviewed = await awaitingHuman(app);
    dataOf(await app.graphql(SUBMIT, { runId: reviewed.runId, verdict: 'PASS' }, ALICE));
    const last = await awaitingHuman(app);

    const page1 = await queue(2);
    expect(page1.totalCount).toBe(3);
    expect(page1.nodes.map((n: any) => n.run.id)).toEqual([first.runId, completed.runId]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(page1.nodes[0]).toMatchObject({
      run: { status: 'AWAITING_HUMAN', hypothesis: { title: expect.any(String) } },
      autoValidation: { kind: 'AUTO', verdict: 'PASS', scores: [{ name: 'novelty', score: 7 }, { name: 'clarity', score: 8 }] },
    });
    expect(page1.nodes[1].run.status).toBe('COMPLETED');

    const page2 = await queue(2, page1.pageInfo.endCursor);
    expect(page2.nodes.map((n: any) => n.run.id)).toEqual([last.runId]);
    expect(page2.pageInfo.hasNextPage).toBe(false);

    dataOf(await app.graphql(SUBMIT, { runId: first.runId, verdict: 'PASS' }, ALICE));
    const after = await queue(10);
    expect(after.totalCount).toBe(2);
    expect(after.nodes.map((n: any) => n.run.id)).toEqual([completed.runId, last.runId]);
  });

  it('refuses a cursor it did not hand out, and a page size out of range', async () => {
    expect((await app.graphql(QUEUE, { first: 2, after: 'bogus' }, ALICE)).errors?.[0].extensions).toMatchObject({ reason: 'INVALID_CURSOR' });
    expect((await app.graphql(QUEUE, { first: 500 }, ALICE)).errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
