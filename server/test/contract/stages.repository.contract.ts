import { HYPOTHESES_ADAPTERS } from '../../src/hypotheses/hypotheses.module.js';
import { StageName, StageStatus } from '../../src/runs/run.js';
import { RUNS_ADAPTERS, STAGES_ADAPTERS } from '../../src/runs/runs.module.js';
import { StagesRepository } from '../../src/runs/stages.repository.js';
import { aHypothesis, aRun } from '../support/factories.js';
import { StoreUnderTest, TestStore } from '../support/stores.js';

export function stagesRepositoryContract(storeUnderTest: StoreUnderTest) {
  describe(`StagesRepository on ${storeUnderTest.name}`, () => {
    let store: TestStore;
    let repo: StagesRepository;
    let runId: string;
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

    beforeEach(async () => {
      store = await storeUnderTest.open();
      repo = await store.repository(STAGES_ADAPTERS);
      const hypothesisId = (await (await store.repository(HYPOTHESES_ADAPTERS)).insert(aHypothesis())).id;
      runId = (await (await store.repository(RUNS_ADAPTERS)).insert(aRun({ hypothesisId }))).run.id;
    });
    afterEach(() => store.close());

    it('creates one record per run and stage however often it starts, keeping the earliest start', async () => {
      await repo.markStarted(runId, StageName.STAGE_1, t(10), 'Preliminary investigation');
      await repo.markStarted(runId, StageName.STAGE_1, t(5));
      const stage = await repo.markStarted(runId, StageName.STAGE_1, t(20));
      expect(stage).toMatchObject({ runId, name: StageName.STAGE_1, status: StageStatus.RUNNING, progress: 0, startedAt: t(5) });
      expect(stage.description).toBe('Preliminary investigation');
      expect(await repo.listByRun(runId)).toHaveLength(1);
    });

    it('creates one record for 10 concurrent starts', async () => {
      await Promise.all(Array.from({ length: 10 }, (_, i) => repo.markStarted(runId, StageName.STAGE_2, t(i))));
      expect(await repo.listByRun(runId)).toHaveLength(1);
    });

    it('never lowers progress', async () => {
      await repo.recordProgress(runId, StageName.STAGE_1, 0.6, t(1));
      const stage = await repo.recordProgress(runId, StageName.STAGE_1, 0.4, t(2));
      expect(stage.progress).toBe(0.6);
      expect(stage.status).toBe(StageStatus.RUNNING);
      expect((await repo.recordProgress(runId, StageName.STAGE_1, 0.7, t(3))).progress).toBe(0.7);
    });

    it('completes a stage and keeps it completed when late events arrive', async () => {
      await repo.markStarted(runId, StageName.STAGE_3, t(1));
      const done = await repo.markCompleted(runId, StageName.STAGE_3, t(9), 8, { words: 4200 });
      expect(done).toMatchObject({ status: StageStatus.COMPLETED, progress: 1, completedAt: t(9), durationS: 8, summary: { words: 4200 } });
      await repo.markStarted(runId, StageName.STAGE_3, t(2));
      await repo.recordProgress(runId, StageName.STAGE_3, 0.3, t(3));
      const failed = await repo.markFailed(runId, StageName.STAGE_3, t(10));
      expect(failed).toMatchObject({ status: StageStatus.COMPLETED, progress: 1, completedAt: t(9), durationS: 8 });
    });

    it('marks a running stage failed', async () => {
      await repo.recordProgress(runId, StageName.STAGE_4, 0.2, t(1));
      expect(await repo.markFailed(runId, StageName.STAGE_4, t(2))).toMatchObject({ status: StageStatus.FAILED, progress: 0.2 });
    });

    it('lists only the run\'s own stages, in stage order', async () => {
      const hypothesisId = (await (await store.repository(HYPOTHESES_ADAPTERS)).insert(aHypothesis())).id;
      const otherRun = (await (await store.repository(RUNS_ADAPTERS)).insert(aRun({ hypothesisId }))).run.id;
      await repo.markStarted(runId, StageName.STAGE_2, t(2));
      await repo.markStarted(runId, StageName.STAGE_1, t(1));
      await repo.markStarted(otherRun, StageName.STAGE_1, t(1));
      expect((await repo.listByRun(runId)).map((s) => s.name)).toEqual([StageName.STAGE_1, StageName.STAGE_2]);
    });
  });
}
