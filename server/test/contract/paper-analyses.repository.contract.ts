import { randomUUID } from 'node:crypto';
import { PAPER_ANALYSES_ADAPTERS } from '../../src/analysis/analysis.module.js';
import type { PaperAnalysesRepository } from '../../src/analysis/paper-analyses.repository.js';
import { PaperAnalysisStatus, UNFINISHED_ANALYSIS_STATUSES } from '../../src/analysis/paper-analysis.js';
import { aPaperAnalysis } from '../support/factories.js';
import { StoreUnderTest, TestStore } from '../support/stores.js';

export function paperAnalysesRepositoryContract(storeUnderTest: StoreUnderTest) {
  describe(`PaperAnalysesRepository on ${storeUnderTest.name}`, () => {
    let store: TestStore;
    let repo: PaperAnalysesRepository;

    beforeEach(async () => {
      store = await storeUnderTest.open();
      repo = await store.repository(PAPER_ANALYSES_ADAPTERS);
    });
    afterEach(() => store.close());

    const done = (at: Date) => ({
      status: PaperAnalysisStatus.DONE,
      paper: { artifactKey: 'runs/r/paper.pdf', pages: 9, extractedChars: 41_000, analyzedChars: 41_000, truncated: false },
      quantitative: { quality: 7.5, faithfulness: 8, innovation: 6, efficiency: 7, successRate: 0.75, reliability: 6.5, reproducibility: 8 },
      qualitative: { tradeoffs: 't', hypothesisProof: 'h', conclusion: 'c', novelty: 'n', recommendations: 'r' },
      models: { quantitative: 'gpt-4o-mini', qualitative: 'gpt-4o' },
      usage: { promptTokens: 1000, completionTokens: 200, totalTokens: 1200 },
      completedAt: at,
      updatedAt: at,
    });

    it('round-trips every field, results included', async () => {
      const runId = randomUUID();
      const created = await repo.replaceCurrent(aPaperAnalysis({ runId }), UNFINISHED_ANALYSIS_STATUSES);
      const at = new Date(created!.createdAt.getTime() + 5000);
      const updated = await repo.update(created!.id, [PaperAnalysisStatus.QUEUED], { ...done(at), attempts: 2, startedAt: at });
      expect(updated).toEqual({ ...created, ...done(at), attempts: 2, startedAt: at });
      expect(await repo.findById(created!.id)).toEqual(updated);
      expect(await repo.findCurrent(runId)).toEqual(updated);
    });

    it('keeps one current analysis per run and moves the replaced one to history, newest first', async () => {
      const runId = randomUUID();
      const t0 = new Date('2026-01-01T00:00:00Z');
      const first = (await repo.replaceCurrent(aPaperAnalysis({ runId, createdAt: t0 }), UNFINISHED_ANALYSIS_STATUSES))!;
      await repo.update(first.id, [PaperAnalysisStatus.QUEUED], done(t0));
      const t1 = new Date(t0.getTime() + 1000);
      const second = (await repo.replaceCurrent(aPaperAnalysis({ runId, createdAt: t1 }), UNFINISHED_ANALYSIS_STATUSES))!;
      await repo.update(second.id, [PaperAnalysisStatus.QUEUED], { status: PaperAnalysisStatus.FAILED, errorCode: 'X', errorMessage: 'x', updatedAt: t1 });
      const t2 = new Date(t0.getTime() + 2000);
      const third = (await repo.replaceCurrent(aPaperAnalysis({ runId, createdAt: t2 }), UNFINISHED_ANALYSIS_STATUSES))!;

      expect((await repo.findCurrent(runId))?.id).toBe(third.id);
      const history = await repo.listHistory(runId);
      expect(history.map((a) => a.id)).toEqual([second.id, first.id]);
      expect(history.every((a) => !a.current)).toBe(true);
      expect(history[0].supersededAt).toEqual(t2);
      expect(history[1]).toMatchObject({ status: PaperAnalysisStatus.DONE, supersededAt: t1, quantitative: { successRate: 0.75 } });
      expect(await repo.listHistory(randomUUID())).toEqual([]);
    });

    it('refuses to replace a current analysis that is still queued or running, writing nothing', async () => {
      const runId = randomUUID();
      const queued = (await repo.replaceCurrent(aPaperAnalysis({ runId }), UNFINISHED_ANALYSIS_STATUSES))!;
      expect(await repo.replaceCurrent(aPaperAnalysis({ runId }), UNFINISHED_ANALYSIS_STATUSES)).toBeNull();
      await repo.update(queued.id, [PaperAnalysisStatus.QUEUED], { status: PaperAnalysisStatus.RUNNING, updatedAt: new Date() });
      expect(await repo.replaceCurrent(aPaperAnalysis({ runId }), UNFINISHED_ANALYSIS_STATUSES)).toBeNull();
      expect((await repo.findCurrent(runId))?.id).toBe(queued.id);
      expect(await repo.listHistory(runId)).toEqual([]);
    });

    it('lets only one of two concurrent requests for a run become current', async () => {
      const runId = randomUUID();
      const results = await Promise.all([
        repo.replaceCurrent(aPaperAnalysis({ runId }), UNFINISHED_ANALYSIS_STATUSES),
        repo.replaceCurrent(aPaperAnalysis({ runId }), UNFINISHED_ANALYSIS_STATUSES),
      ]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect(await repo.findCurrent(runId)).toEqual(results.find((r) => r !== null));
    });

    it('updates only from the given statuses (compare-and-set)', async () => {
      const created = (await repo.replaceCurrent(aPaperAnalysis({ runId: randomUUID() }), UNFINISHED_ANALYSIS_STATUSES))!;
      const at = new Date();
      expect(await repo.update(created.id, [PaperAnalysisStatus.RUNNING], { status: PaperAnalysisStatus.DONE, updatedAt: at })).toBeNull();
      expect(await repo.update(created.id, [], { status: PaperAnalysisStatus.DONE, updatedAt: at })).toBeNull();
      expect(await repo.update('missing', UNFINISHED_ANALYSIS_STATUSES, { status: PaperAnalysisStatus.DONE, updatedAt: at })).toBeNull();
      const running = await repo.update(created.id, UNFINISHED_ANALYSIS_STATUSES, { status: PaperAnalysisStatus.RUNNING, attempts: 1, startedAt: at, updatedAt: at });
      expect(running).toMatchObject({ status: PaperAnalysisStatus.RUNNING, attempts: 1, startedAt: at, quantitative: null });
    });

    it('batch-loads current analyses of several runs and lists ids by status, oldest first', async () => {
      const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
      const t0 = new Date('2026-02-01T00:00:00Z');
      const first = (await repo.replaceCurrent(aPaperAnalysis({ runId: a, createdAt: t0 }), UNFINISHED_ANALYSIS_STATUSES))!;
      const second = (await repo.replaceCurrent(aPaperAnalysis({ runId: b, createdAt: new Date(t0.getTime() + 1) }), UNFINISHED_ANALYSIS_STATUSES))!;
      await repo.update(second.id, [PaperAnalysisStatus.QUEUED], { status: PaperAnalysisStatus.RUNNING, updatedAt: t0 });
      const found = await repo.findCurrentOfRuns([a, b, c]);
      expect(found.map((x) => x.runId).sort()).toEqual([a, b].sort());
      expect(await repo.findCurrentOfRuns([])).toEqual([]);
      expect(await repo.listIdsByStatus([PaperAnalysisStatus.QUEUED])).toEqual([first.id]);
      expect(await repo.listIdsByStatus(UNFINISHED_ANALYSIS_STATUSES)).toEqual([first.id, second.id]);
      expect(await repo.listIdsByStatus([])).toEqual([]);
    });
  });
}
