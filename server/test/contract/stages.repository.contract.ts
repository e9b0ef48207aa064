import { HYPOTHESES_ADAPTERS } from '../../src/hypotheses/hypotheses.module.js';
import { type Stage, StageName, StageStatus } from '../../src/runs/run.js';
import { RUNS_ADAPTERS, STAGES_ADAPTERS } from '../../src/runs/runs.module.js';
import type { StagesRepository, StageWrite } from '../../src/runs/stages.repository.js';
import { aHypothesis, aRun } from '../support/factories.js';
import type { StoreUnderTest, TestStore } from '../support/stores.js';

export function stagesRepositoryContract(storeUnderTest: StoreUnderTest) {
  describe(`StagesRepository on ${storeUnderTest.name}`, () => {
    let store: TestStore;
    let repo: StagesRepository;
    let runId: string;
    const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
    const S1 = StageName.STAGE_1;

    const newRunId = async () => {
      const hypothesisId = (await (await store.repository(HYPOTHESES_ADAPTERS)).insert(aHypothesis())).id;
      return (await (await store.repository(RUNS_ADAPTERS)).insert(aRun({ hypothesisId }))).run.id;
    };
    const apply = async (...writes: StageWrite[]): Promise<Stage | undefined> => {
      await repo.applyWrites(runId, writes);
      return (await repo.listByRun(runId)).find((s) => s.name === writes.at(-1)!.name);
    };

    beforeEach(async () => {
      store = await storeUnderTest.open();
      repo = await store.repository(STAGES_ADAPTERS);
      runId = await newRunId();
    });
    afterEach(() => store.close());

    it('creates one record per run and stage however often it starts, keeping the earliest start', async () => {
      await apply({ kind: 'started', name: S1, at: t(10), description: 'Preliminary investigation' });
      await apply({ kind: 'started', name: S1, at: t(5) });
      const stage = await apply({ kind: 'started', name: S1, at: t(20) });
      expect(stage).toMatchObject({ runId, name: S1, status: StageStatus.RUNNING, progress: 0, startedAt: t(5), description: 'Preliminary investigation' });
      expect(await repo.listByRun(runId)).toHaveLength(1);
    });

    it('creates one record for 10 concurrent starts', async () => {
      await Promise.all(Array.from({ length: 10 }, (_, i) => repo.applyWrites(runId, [{ kind: 'started', name: StageName.STAGE_2, at: t(i) }])));
      expect(await repo.listByRun(runId)).toHaveLength(1);
    });

    it('never lowers progress', async () => {
      await apply({ kind: 'progress', name: S1, at: t(1), progress: 0.6 });
      const stage = await apply({ kind: 'progress', name: S1, at: t(2), progress: 0.4 });
      expect(stage).toMatchObject({ progress: 0.6, status: StageStatus.RUNNING, startedAt: t(1) });
      expect((await apply({ kind: 'progress', name: S1, at: t(3), progress: 0.7 }))?.progress).toBe(0.7);
    });

    it('completes a stage and keeps it completed when late events arrive', async () => {
      const S3 = StageName.STAGE_3;
      await apply({ kind: 'started', name: S3, at: t(1) });
      const done = await apply({ kind: 'completed', name: S3, at: t(9), durationS: 8, summary: { words: 4200 } });
      expect(done).toMatchObject({ status: StageStatus.COMPLETED, progress: 1, startedAt: t(1), completedAt: t(9), durationS: 8, summary: { words: 4200 } });
      const after = await apply(
        { kind: 'started', name: S3, at: t(2) },
        { kind: 'progress', name: S3, at: t(3), progress: 0.3 },
        { kind: 'failed', name: S3, at: t(10) },
      );
      expect(after).toMatchObject({ status: StageStatus.COMPLETED, progress: 1, completedAt: t(9), durationS: 8 });
    });

    it('marks a running stage failed', async () => {
      await apply({ kind: 'progress', name: StageName.STAGE_4, at: t(1), progress: 0.2 });
      expect(await apply({ kind: 'failed', name: StageName.STAGE_4, at: t(2) })).toMatchObject({ status: StageStatus.FAILED, progress: 0.2 });
    });

    it('keeps the newest best node by event time, whatever the arrival order', async () => {
      await apply({ kind: 'best', name: S1, at: t(5), nodeId: 'n5', metric: 0.5 });
      await apply({ kind: 'best', name: S1, at: t(3), nodeId: 'n3', metric: 0.9 });
      expect(await apply({ kind: 'best', name: S1, at: t(4), nodeId: 'n4', metric: 0.7 })).toMatchObject({ bestNodeId: 'n5', bestMetric: 0.5 });
      expect(await apply({ kind: 'best', name: S1, at: t(6), nodeId: 'n6', metric: 0.6 })).toMatchObject({ bestNodeId: 'n6', bestMetric: 0.6 });
    });

    it('gives the same record whichever order the same writes arrive in, and applying them twice changes nothing', async () => {
      const writes: StageWrite[] = [
        { kind: 'started', name: S1, at: t(1), description: 'd' },
        { kind: 'progress', name: S1, at: t(2), progress: 0.5 },
        { kind: 'best', name: S1, at: t(3), nodeId: 'n1', metric: 1 },
        { kind: 'completed', name: S1, at: t(4), durationS: 3 },
      ];
      await repo.applyWrites(runId, writes);
      await repo.applyWrites(runId, writes);
      const inOrder = await repo.listByRun(runId);
      runId = await newRunId();
      await repo.applyWrites(runId, [...writes].reverse());
      const reversed = (await repo.listByRun(runId)).map((s) => ({ ...s, runId: inOrder[0].runId }));
      expect(reversed).toEqual(inOrder);
    });

    it('lists only the run\'s own stages, in stage order', async () => {
      const otherRun = await newRunId();
      await apply({ kind: 'started', name: StageName.STAGE_2, at: t(2) });
      await apply({ kind: 'started', name: S1, at: t(1) });
      await repo.applyWrites(otherRun, [{ kind: 'started', name: S1, at: t(1) }]);
      expect((await repo.listByRun(runId)).map((s) => s.name)).toEqual([S1, StageName.STAGE_2]);
    });
  });
}
