import { SortDirection } from '../../src/common/pagination/cursor.js';
import { HYPOTHESES_ADAPTERS } from '../../src/hypotheses/hypotheses.module.js';
import { HypothesesRepository } from '../../src/hypotheses/hypotheses.repository.js';
import { PaperStatus, RunStatus, StageName } from '../../src/runs/run.js';
import type { RunProjectionPatch } from '../../src/runs/runs.repository.js';
import { RUNS_ADAPTERS } from '../../src/runs/runs.module.js';
import { RunsRepository } from '../../src/runs/runs.repository.js';
import { aHypothesis, aRun, datesFrom } from '../support/factories.js';
import { StoreUnderTest, TestStore } from '../support/stores.js';

const S = RunStatus;

export function runsRepositoryContract(storeUnderTest: StoreUnderTest) {
  describe(`RunsRepository on ${storeUnderTest.name}`, () => {
    let store: TestStore;
    let repo: RunsRepository;
    let hypotheses: HypothesesRepository;
    let hypothesisId: string;

    beforeEach(async () => {
      store = await storeUnderTest.open();
      repo = await store.repository(RUNS_ADAPTERS);
      hypotheses = await store.repository(HYPOTHESES_ADAPTERS);
      hypothesisId = (await hypotheses.insert(aHypothesis())).id;
    });
    afterEach(() => store.close());

    const page = (limit: number, direction = SortDirection.DESC) => ({ limit, direction });

    it('round-trips every field, nested ones included', async () => {
      const at = new Date('2026-05-01T10:00:00Z');
      const run = aRun({
        hypothesisId,
        status: S.RUNNING,
        idempotencyKey: 'key-1',
        pod: { id: 'pod-1', instanceType: 'NVIDIA RTX A4000', region: 'EU', image: 'runpod/pytorch', at },
        currentStage: {
          name: StageName.STAGE_2,
          progress: 0.5,
          iteration: 3,
          maxIterations: 10,
          goodNodes: 4,
          buggyNodes: 1,
          totalNodes: 5,
          bestMetric: 0.91,
          etaS: 120,
          updatedAt: at,
        },
        telemetry: { gpuUtil: 91.5, memGb: 20.1, tempC: 71, at },
        paper: { status: PaperStatus.GENERATED, artifactKey: 'runs/x/paper.pdf', wordCount: 4200, at },
        statusHistory: [{ from: S.QUEUED, to: S.SCHEDULED, at, by: 'orchestrator', reason: null }],
        startedAt: at,
        lastHeartbeat: at,
        lastEventSeq: 42,
        errorType: 'E',
        errorMessage: 'm',
        errorTraceback: 'tb',
      });
      expect(await repo.insert(run)).toEqual({ run, created: true });
      expect(await repo.findById(run.id)).toEqual(run);
    });

    it('returns the existing run for a repeated idempotency key of the same hypothesis, only', async () => {
      const first = await repo.insert(aRun({ hypothesisId, idempotencyKey: 'k' }));
      const again = await repo.insert(aRun({ hypothesisId, idempotencyKey: 'k' }));
      expect(again).toEqual({ run: first.run, created: false });

      const otherHypothesis = (await hypotheses.insert(aHypothesis())).id;
      expect((await repo.insert(aRun({ hypothesisId: otherHypothesis, idempotencyKey: 'k' }))).created).toBe(true);
      expect((await repo.insert(aRun({ hypothesisId }))).created).toBe(true);
      expect((await repo.insert(aRun({ hypothesisId }))).created).toBe(true);
      expect(await repo.count({ hypothesisId })).toBe(3);
    });

    it('creates one run for 20 concurrent inserts with one idempotency key', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => repo.insert(aRun({ hypothesisId, idempotencyKey: 'same' }))));
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.run.id)).size).toBe(1);
      expect(await repo.count({ hypothesisId })).toBe(1);
    });

    it('filters by status list, hypothesis and hidden before paging; count and listIds agree', async () => {
      const other = (await hypotheses.insert(aHypothesis())).id;
      const statuses = [S.QUEUED, S.RUNNING, S.FAILED, S.RUNNING, S.COMPLETED, S.QUEUED];
      const dates = datesFrom(new Date('2026-01-01T00:00:00Z'), statuses.length);
      for (const [i, status] of statuses.entries()) {
        await repo.insert(aRun({ hypothesisId: i < 4 ? hypothesisId : other, status, createdAt: dates[i], hidden: i === 3 }));
      }
      const running = await repo.list({ statuses: [S.RUNNING, S.QUEUED] }, page(10));
      expect(running.items.map((r) => r.status)).toEqual([S.QUEUED, S.RUNNING, S.RUNNING, S.QUEUED]);
      expect(await repo.count({ statuses: [S.RUNNING, S.QUEUED] })).toBe(4);
      expect(await repo.count({ statuses: [S.RUNNING], hidden: false })).toBe(1);
      expect(await repo.count({ hypothesisId })).toBe(4);
      expect(await repo.count({ hypothesisId, statuses: [S.FAILED] })).toBe(1);
      expect(await repo.count({ statuses: [] })).toBe(0);
      expect((await repo.list({ statuses: [] }, page(10))).items).toEqual([]);
      const ids = await repo.listIds({ hypothesisId: other });
      expect(ids).toEqual((await repo.list({ hypothesisId: other }, page(10, SortDirection.ASC))).items.map((r) => r.id));

      const firstPage = await repo.list({ statuses: [S.RUNNING, S.QUEUED] }, page(3));
      expect(firstPage.hasNextPage).toBe(true);
      const secondPage = await repo.list({ statuses: [S.RUNNING, S.QUEUED] }, { ...page(3), after: firstPage.items[2] });
      expect(secondPage.items.map((r) => r.status)).toEqual([S.QUEUED]);
      expect(secondPage.hasNextPage).toBe(false);
    });

    it('applies a legal transition with its patch and one history entry naming the old status', async () => {
      const run = (await repo.insert(aRun({ hypothesisId, status: S.RUNNING }))).run;
      const at = new Date(run.createdAt.getTime() + 5000);
      const failed = await repo.transition(run.id, {
        to: S.FAILED,
        at,
        by: 'worker',
        reason: 'OOM',
        patch: { failedAt: at, errorType: 'OOM', errorMessage: 'out of memory', errorTraceback: 'Traceback...' },
      });
      expect(failed).toMatchObject({
        status: S.FAILED,
        updatedAt: at,
        failedAt: at,
        errorType: 'OOM',
        errorMessage: 'out of memory',
        errorTraceback: 'Traceback...',
        statusHistory: [{ from: S.RUNNING, to: S.FAILED, at, by: 'worker', reason: 'OOM' }],
      });
      expect(await repo.findById(run.id)).toEqual(failed);
    });

    it('refuses an illegal transition, leaves the run unchanged and returns null', async () => {
      const run = (await repo.insert(aRun({ hypothesisId }))).run;
      expect(await repo.transition(run.id, { to: S.RUNNING, at: new Date(), by: 'x' })).toBeNull();
      expect(await repo.transition(run.id, { to: S.QUEUED, at: new Date(), by: 'x' })).toBeNull();
      expect(await repo.findById(run.id)).toEqual(run);
      expect(await repo.transition('00000000-0000-4000-8000-000000000000', { to: S.CANCELED, at: new Date(), by: 'x' })).toBeNull();
    });

    it('honours a narrower set of expected statuses', async () => {
      const run = (await repo.insert(aRun({ hypothesisId, status: S.RUNNING }))).run;
      expect(await repo.transition(run.id, { to: S.CANCELED, at: new Date(), by: 'x', from: [S.QUEUED] })).toBeNull();
      expect((await repo.transition(run.id, { to: S.CANCELED, at: new Date(), by: 'x', from: [S.RUNNING] }))?.status).toBe(S.CANCELED);
    });

    it('records a chain of transitions in order', async () => {
      const run = (await repo.insert(aRun({ hypothesisId }))).run;
      const chain = [S.SCHEDULED, S.STARTING, S.RUNNING, S.COMPLETED, S.AWAITING_HUMAN, S.HUMAN_VALIDATED];
      for (const to of chain) expect(await repo.transition(run.id, { to, at: new Date(), by: 'test' })).not.toBeNull();
      const history = (await repo.findById(run.id))!.statusHistory;
      expect(history.map((t) => [t.from, t.to])).toEqual(chain.map((to, i) => [i === 0 ? S.QUEUED : chain[i - 1], to]));
    });

    it('lets exactly one of 20 concurrent cancels through', async () => {
      const run = (await repo.insert(aRun({ hypothesisId, status: S.RUNNING }))).run;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => repo.transition(run.id, { to: S.CANCELED, at: new Date(), by: `caller-${i}` })),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
      expect((await repo.findById(run.id))!.statusHistory).toHaveLength(1);
    });

    describe('applyProjection', () => {
      const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
      const stage = (name: StageName, s: number, fields: Record<string, number>) => ({ name, updatedAt: t(s), ...fields });

      it('keeps the newest value by event time, the highest counters and the first completion', async () => {
        const run = (await repo.insert(aRun({ hypothesisId, createdAt: t(0) }))).run;
        await repo.applyProjection(run.id, {
          lastEventSeq: 10,
          lastHeartbeat: t(10),
          telemetry: { gpuUtil: 50, memGb: 10, tempC: 60, at: t(10) },
          pod: { id: 'pod-b', instanceType: 'A5000', region: 'EU', image: 'img', at: t(10) },
          paper: { status: PaperStatus.GENERATED, artifactKey: 'k', wordCount: 10, at: t(10) },
          completedAt: t(10),
        }, t(11));
        const after = await repo.applyProjection(run.id, {
          lastEventSeq: 5,
          lastHeartbeat: t(5),
          telemetry: { gpuUtil: 10, memGb: 1, tempC: 30, at: t(5) },
          pod: { id: 'pod-a', instanceType: null, region: null, image: null, at: t(5) },
          paper: { status: PaperStatus.WRITING, artifactKey: null, wordCount: null, at: t(5) },
          completedAt: t(20),
        }, t(21));
        expect(after).toMatchObject({
          lastEventSeq: 10,
          lastHeartbeat: t(10),
          telemetry: { gpuUtil: 50, at: t(10) },
          pod: { id: 'pod-b', at: t(10) },
          paper: { status: PaperStatus.GENERATED, at: t(10) },
          completedAt: t(10),
          updatedAt: t(21),
        });
        expect(await repo.applyProjection('00000000-0000-4000-8000-000000000000', { lastEventSeq: 1 }, t(1))).toBeNull();
      });

      it('merges currentStage per field within a stage, and lets a newer stage replace it', async () => {
        const run = (await repo.insert(aRun({ hypothesisId }))).run;
        const S1 = StageName.STAGE_1;
        await repo.applyProjection(run.id, { lastEventSeq: 1, currentStage: stage(S1, 2, { progress: 0.2, iteration: 2, goodNodes: 1 }) }, t(2));
        await repo.applyProjection(run.id, { lastEventSeq: 2, currentStage: stage(S1, 3, { progress: 0.3, iteration: 3 }) }, t(3));
        const older = await repo.applyProjection(run.id, { lastEventSeq: 3, currentStage: stage(S1, 1, { progress: 0.1, totalNodes: 9 }) }, t(4));
        expect(older?.currentStage).toEqual({
          name: S1,
          updatedAt: t(3),
          progress: 0.3,
          iteration: 3,
          goodNodes: 1,
          totalNodes: 9,
          maxIterations: null,
          buggyNodes: null,
          bestMetric: null,
          etaS: null,
        });
        const next = await repo.applyProjection(run.id, { lastEventSeq: 4, currentStage: stage(StageName.STAGE_2, 5, { progress: 0.1 }) }, t(5));
        expect(next?.currentStage).toMatchObject({ name: StageName.STAGE_2, progress: 0.1, iteration: null, goodNodes: null });
        const late = await repo.applyProjection(run.id, { lastEventSeq: 5, currentStage: stage(S1, 4, { progress: 0.9 }) }, t(6));
        expect(late?.currentStage).toMatchObject({ name: StageName.STAGE_2, progress: 0.1 });
      });

      it('ends in the same state whichever order the same patches arrive in, and twice is once', async () => {
        const patches: RunProjectionPatch[] = [
          { lastEventSeq: 3, lastHeartbeat: t(3), telemetry: { gpuUtil: 3, memGb: 3, tempC: 3, at: t(3) }, currentStage: stage(StageName.STAGE_1, 3, { progress: 0.5 }) },
          { lastEventSeq: 7, lastHeartbeat: t(7), telemetry: { gpuUtil: 7, memGb: 7, tempC: 7, at: t(7) }, currentStage: stage(StageName.STAGE_2, 7, { progress: 0.2 }) },
          { lastEventSeq: 5, completedAt: t(5), paper: { status: PaperStatus.WRITING, artifactKey: null, wordCount: null, at: t(5) } },
        ];
        const a = (await repo.insert(aRun({ hypothesisId }))).run;
        const b = (await repo.insert(aRun({ hypothesisId }))).run;
        for (const patch of [...patches, ...patches]) await repo.applyProjection(a.id, patch, t(100));
        for (const patch of [...patches].reverse()) await repo.applyProjection(b.id, patch, t(100));
        const { id: _a, ...stateA } = (await repo.findById(a.id))!;
        const { id: _b, ...stateB } = (await repo.findById(b.id))!;
        expect(stateB).toEqual({ ...stateA, createdAt: stateB.createdAt, updatedAt: stateB.updatedAt });
      });
    });

    it('hides and unhides', async () => {
      const run = (await repo.insert(aRun({ hypothesisId }))).run;
      const at = new Date(run.createdAt.getTime() + 1);
      expect(await repo.setHidden(run.id, true, at)).toMatchObject({ hidden: true, updatedAt: at });
      expect(await repo.count({ hidden: true })).toBe(1);
      expect((await repo.setHidden(run.id, false, at))?.hidden).toBe(false);
      expect(await repo.setHidden('missing', true, at)).toBeNull();
    });
  });
}
