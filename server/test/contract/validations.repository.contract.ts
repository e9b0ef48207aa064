import { HYPOTHESES_ADAPTERS } from '../../src/hypotheses/hypotheses.module.js';
import { type Run, RunStatus } from '../../src/runs/run.js';
import { RUNS_ADAPTERS } from '../../src/runs/runs.module.js';
import { newHumanValidation, type Validation, ValidationKind, ValidationStatus, Verdict } from '../../src/validation/validation.js';
import { VALIDATIONS_ADAPTERS } from '../../src/validation/validation.module.js';
import type { ValidationsRepository } from '../../src/validation/validations.repository.js';
import { aHypothesis, aRun, datesFrom } from '../support/factories.js';
import type { StoreUnderTest, TestStore } from '../support/stores.js';

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

const humanReview = (runId: string, reviewer: string, verdict = Verdict.PASS): Validation =>
  newHumanValidation({ runId, verdict, scores: [{ name: 'novelty', score: 7 }], notes: 'solid', reviewer, at: t(100) });

/** Human validations (once per run, atomically) and the review queue, paged in the store. */
export function validationsRepositoryContract(storeUnderTest: StoreUnderTest) {
  describe(`ValidationsRepository on ${storeUnderTest.name}`, () => {
    let store: TestStore;
    let repo: ValidationsRepository;
    let hypothesisId: string;
    const newRun = async (overrides: Partial<Run> = {}) =>
      (await (await store.repository(RUNS_ADAPTERS)).insert(aRun({ hypothesisId, ...overrides }))).run.id;
    const autoValidated = async (runId: string) =>
      repo.applyAutoWrites(runId, [
        { kind: 'started', at: t(1), model: 'gpt-test', rubricVersion: 'v1' },
        { kind: 'completed', at: t(2), verdict: Verdict.PASS, scores: [{ name: 'clarity', score: 8 }], notes: '{"strengths":["clear"]}' },
      ]);

    beforeEach(async () => {
      store = await storeUnderTest.open();
      repo = await store.repository(VALIDATIONS_ADAPTERS);
      hypothesisId = (await (await store.repository(HYPOTHESES_ADAPTERS)).insert(aHypothesis())).id;
    });
    afterEach(() => store.close());

    describe('insertHuman', () => {
      it('records the review, shown after the automatic one', async () => {
        const runId = await newRun();
        await autoValidated(runId);
        expect(await repo.insertHuman(humanReview(runId, 'alice'))).toBe(true);

        const listed = await repo.listByRun(runId);
        expect(listed.map((v) => v.kind)).toEqual([ValidationKind.AUTO, ValidationKind.HUMAN]);
        expect(listed[1]).toEqual(humanReview(runId, 'alice'));
        expect(await repo.findHuman(runId)).toEqual(humanReview(runId, 'alice'));
      });

      it('keeps the first review of a run and refuses the second, even with another id', async () => {
        const runId = await newRun();
        expect(await repo.insertHuman(humanReview(runId, 'alice'))).toBe(true);
        expect(await repo.insertHuman(humanReview(runId, 'bob', Verdict.FAIL))).toBe(false);
        expect(await repo.insertHuman({ ...humanReview(runId, 'carol'), id: 'another-id' })).toBe(false);
        expect(await repo.findHuman(runId)).toMatchObject({ reviewer: 'alice', verdict: Verdict.PASS });
        expect((await repo.listByRun(runId)).filter((v) => v.kind === ValidationKind.HUMAN)).toHaveLength(1);
      });

      it('records exactly one of many concurrent reviews', async () => {
        const runId = await newRun();
        const results = await Promise.all(['a', 'b', 'c', 'd', 'e', 'f'].map((reviewer) => repo.insertHuman(humanReview(runId, reviewer))));
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = ['a', 'b', 'c', 'd', 'e', 'f'][results.indexOf(true)];
        expect(await repo.findHuman(runId)).toMatchObject({ reviewer: winner, status: ValidationStatus.COMPLETED });
      });

      it('keeps the automatic record as it is', async () => {
        const runId = await newRun();
        await autoValidated(runId);
        await repo.insertHuman(humanReview(runId, 'alice'));
        await autoValidated(runId);
        const auto = (await repo.listByRun(runId)).find((v) => v.kind === ValidationKind.AUTO);
        expect(auto).toMatchObject({ verdict: Verdict.PASS, model: 'gpt-test', reviewer: null });
      });
    });

    describe('deleteHuman', () => {
      it('removes the run\'s review so that another can be recorded', async () => {
        const runId = await newRun();
        await repo.insertHuman(humanReview(runId, 'alice'));
        expect(await repo.deleteHuman(runId)).toBe(true);
        expect(await repo.findHuman(runId)).toBeNull();
        expect(await repo.deleteHuman(runId)).toBe(false);
        expect(await repo.insertHuman(humanReview(runId, 'bob'))).toBe(true);
      });
    });

    describe('listReviewQueue', () => {
      it('lists AWAITING_HUMAN runs and COMPLETED runs with an automatic and no human validation, oldest first, paged', async () => {
        const at = datesFrom(t(0), 8);
        const awaiting = await newRun({ status: RunStatus.AWAITING_HUMAN, createdAt: at[0] });
        const running = await newRun({ status: RunStatus.RUNNING, createdAt: at[1] });
        const completedAuto = await newRun({ status: RunStatus.COMPLETED, createdAt: at[2] });
        const completedBare = await newRun({ status: RunStatus.COMPLETED, createdAt: at[3] });
        const completedReviewed = await newRun({ status: RunStatus.COMPLETED, createdAt: at[4] });
        const hidden = await newRun({ status: RunStatus.AWAITING_HUMAN, createdAt: at[5], hidden: true });
        const validated = await newRun({ status: RunStatus.HUMAN_VALIDATED, createdAt: at[6] });
        const awaitingLater = await newRun({ status: RunStatus.AWAITING_HUMAN, createdAt: at[7] });
        for (const runId of [awaiting, running, completedAuto, completedReviewed, validated]) await autoValidated(runId);
        await repo.insertHuman(humanReview(completedReviewed, 'alice'));
        void [completedBare, hidden];

        const first = await repo.listReviewQueue({ limit: 2 });
        expect(first.items.map((e) => e.runId)).toEqual([awaiting, completedAuto]);
        expect(first.hasNextPage).toBe(true);
        expect(first.items[0]).toMatchObject({ createdAt: at[0], autoValidation: { kind: ValidationKind.AUTO, verdict: Verdict.PASS, model: 'gpt-test' } });

        const last = first.items[1];
        const second = await repo.listReviewQueue({ after: { createdAt: last.createdAt, id: last.runId }, limit: 2 });
        expect(second.items.map((e) => e.runId)).toEqual([awaitingLater]);
        expect(second.items[0].autoValidation).toBeNull();
        expect(second.hasNextPage).toBe(false);
        expect(await repo.countReviewQueue()).toBe(3);
      });

      it('orders runs created at the same instant by id', async () => {
        const same = t(50);
        const ids = [await newRun({ status: RunStatus.AWAITING_HUMAN, createdAt: same }), await newRun({ status: RunStatus.AWAITING_HUMAN, createdAt: same })];
        const page = await repo.listReviewQueue({ limit: 10 });
        expect(page.items.map((e) => e.runId)).toEqual([...ids].sort());
        const after = await repo.listReviewQueue({ after: { createdAt: same, id: [...ids].sort()[0] }, limit: 10 });
        expect(after.items.map((e) => e.runId)).toEqual([[...ids].sort()[1]]);
      });

      it('is empty when nothing waits', async () => {
        await newRun({ status: RunStatus.RUNNING });
        expect(await repo.listReviewQueue({ limit: 5 })).toEqual({ items: [], hasNextPage: false });
        expect(await repo.countReviewQueue()).toBe(0);
      });
    });
  });
}
