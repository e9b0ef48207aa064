import { ArtifactStatus, type ArtifactWrite } from '../../src/artifacts/artifact.js';
import { ARTIFACTS_ADAPTERS } from '../../src/artifacts/artifacts.module.js';
import type { ArtifactsRepository } from '../../src/artifacts/artifacts.repository.js';
import { HYPOTHESES_ADAPTERS } from '../../src/hypotheses/hypotheses.module.js';
import type { MetricsRepository } from '../../src/runs/metrics.repository.js';
import type { NodesRepository, NodeWrite } from '../../src/runs/nodes.repository.js';
import { NodeStatus, StageName } from '../../src/runs/run.js';
import { METRICS_ADAPTERS, NODES_ADAPTERS, RUNS_ADAPTERS } from '../../src/runs/runs.module.js';
import { type AutoValidationWrite, ValidationKind, ValidationStatus, Verdict } from '../../src/validation/validation.js';
import { VALIDATIONS_ADAPTERS } from '../../src/validation/validation.module.js';
import type { ValidationsRepository } from '../../src/validation/validations.repository.js';
import { aHypothesis, aRun } from '../support/factories.js';
import type { StoreUnderTest, TestStore } from '../support/stores.js';

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

/** The projection stores written from events: every write idempotent and independent of arrival order. */
export function projectionRepositoriesContract(storeUnderTest: StoreUnderTest) {
  describe(`projection repositories on ${storeUnderTest.name}`, () => {
    let store: TestStore;
    const newRunId = async () => {
      const hypothesisId = (await (await store.repository(HYPOTHESES_ADAPTERS)).insert(aHypothesis())).id;
      return (await (await store.repository(RUNS_ADAPTERS)).insert(aRun({ hypothesisId }))).run.id;
    };

    beforeEach(async () => {
      store = await storeUnderTest.open();
    });
    afterEach(() => store.close());

    describe('NodesRepository', () => {
      let repo: NodesRepository;
      beforeEach(async () => {
        repo = await store.repository(NODES_ADAPTERS);
      });

      const S1 = StageName.STAGE_1;
      const writes: NodeWrite[] = [
        { nodeId: 'root', stage: S1, status: NodeStatus.CREATED, at: t(1), createdAt: t(1) },
        { nodeId: 'child', stage: S1, status: NodeStatus.CREATED, at: t(2), parentId: 'root', createdAt: t(2) },
        { nodeId: 'child', stage: S1, status: NodeStatus.CODE_GENERATED, at: t(3), codeSizeBytes: 1200 },
        { nodeId: 'root', stage: S1, status: NodeStatus.COMPLETED, at: t(4), isBuggy: false, metric: 0.8, execTimeS: 3, completedAt: t(4) },
        { nodeId: 'child', stage: S1, status: NodeStatus.EXECUTING, at: t(5) },
        { nodeId: 'child', stage: S1, status: NodeStatus.COMPLETED, at: t(6), isBuggy: true, metric: null, execTimeS: 1, completedAt: t(6) },
      ];

      it('builds the tree with merged fields, and the history in completion order', async () => {
        const runId = await newRunId();
        await repo.applyWrites(runId, writes);
        const nodes = await repo.listByRun(runId);
        expect(nodes.map((n) => [n.nodeId, n.parentId, n.status])).toEqual([
          ['root', null, NodeStatus.COMPLETED],
          ['child', 'root', NodeStatus.COMPLETED],
        ]);
        expect(nodes[1]).toMatchObject({ codeSizeBytes: 1200, isBuggy: true, execTimeS: 1, createdAt: t(2), completedAt: t(6) });
        expect(await repo.history(runId)).toEqual([
          { nodeId: 'root', stage: S1, iteration: 1, isBuggy: false, metric: 0.8, timestamp: t(4) },
          { nodeId: 'child', stage: S1, iteration: 2, isBuggy: true, metric: null, timestamp: t(6) },
        ]);
      });

      it('never moves a node backwards, whatever the order, and twice is once', async () => {
        const inOrder = await newRunId();
        await repo.applyWrites(inOrder, writes);
        await repo.applyWrites(inOrder, writes);
        const reversed = await newRunId();
        for (const w of [...writes].reverse()) await repo.applyWrites(reversed, [w]);
        const strip = async (runId: string) => (await repo.listByRun(runId)).map(({ runId: _r, ...n }) => n);
        expect(await strip(reversed)).toEqual(await strip(inOrder));
      });
    });

    describe('MetricsRepository', () => {
      let repo: MetricsRepository;
      beforeEach(async () => {
        repo = await store.repository(METRICS_ADAPTERS);
      });

      it('keeps the newest value of each metric by event time', async () => {
        const runId = await newRunId();
        await repo.applyWrites(runId, [
          { name: 'val_loss', value: 0.5, stage: StageName.STAGE_1, at: t(5) },
          { name: 'accuracy', value: 0.7, stage: StageName.STAGE_1, at: t(5) },
        ]);
        await repo.applyWrites(runId, [{ name: 'val_loss', value: 0.9, stage: StageName.STAGE_1, at: t(3) }]);
        await repo.applyWrites(runId, [{ name: 'accuracy', value: 0.8, stage: StageName.STAGE_2, at: t(6) }]);
        expect(await repo.listByRun(runId)).toEqual([
          { name: 'accuracy', value: 0.8, stage: StageName.STAGE_2, at: t(6) },
          { name: 'val_loss', value: 0.5, stage: StageName.STAGE_1, at: t(5) },
        ]);
      });

      it('loses no key when many are written concurrently', async () => {
        const runId = await newRunId();
        await Promise.all(Array.from({ length: 20 }, (_, i) => repo.applyWrites(runId, [{ name: `m${i}`, value: i, stage: null, at: t(i) }])));
        expect(await repo.listByRun(runId)).toHaveLength(20);
      });
    });

    describe('ArtifactsRepository', () => {
      let repo: ArtifactsRepository;
      beforeEach(async () => {
        repo = await store.repository(ARTIFACTS_ADAPTERS);
      });

      it('keeps one record per key: the newest event wins, the first sighting is createdAt, a failure keeps what was known', async () => {
        const runId = await newRunId();
        const key = `runs/${runId}/plots/loss.png`;
        const registered: ArtifactWrite = { key, at: t(2), status: ArtifactStatus.REGISTERED, kind: 'plot', bytes: 1000, sha256: 'a'.repeat(64), contentType: 'image/png' };
        const reRegistered: ArtifactWrite = { ...registered, at: t(4), bytes: 2000, sha256: 'b'.repeat(64) };
        const failed: ArtifactWrite = { key, at: t(3), status: ArtifactStatus.FAILED, errorCode: 'UPLOAD', errorMessage: 'timeout' };
        await repo.applyWrites(runId, [reRegistered, failed, registered]);
        await repo.applyWrites(runId, [registered]);
        expect(await repo.find(runId, key)).toMatchObject({
          status: ArtifactStatus.REGISTERED,
          bytes: 2000,
          sha256: 'b'.repeat(64),
          kind: 'plot',
          createdAt: t(2),
          updatedAt: t(4),
          errorCode: null,
        });
        const paperKey = `runs/${runId}/paper.pdf`;
        await repo.applyWrites(runId, [{ key: paperKey, at: t(5), status: ArtifactStatus.FAILED, errorCode: 'E', errorMessage: 'm' }]);
        expect((await repo.listByRun(runId)).map((a) => a.key)).toEqual([key, paperKey]);
        expect((await repo.listByRun(runId, ['plot'])).map((a) => a.key)).toEqual([key]);
        expect(await repo.find(runId, 'missing')).toBeNull();
      });
    });

    describe('ValidationsRepository', () => {
      let repo: ValidationsRepository;
      beforeEach(async () => {
        repo = await store.repository(VALIDATIONS_ADAPTERS);
      });

      const started: AutoValidationWrite = { kind: 'started', at: t(1), model: 'gpt-review', rubricVersion: 'v2' };
      const completed: AutoValidationWrite = {
        kind: 'completed',
        at: t(2),
        verdict: Verdict.PASS,
        scores: [{ name: 'novelty', score: 7 }],
        notes: '{"strengths":["clear"]}',
      };

      it('records the automatic validation once per run, whatever the order', async () => {
        const inOrder = await newRunId();
        await repo.applyAutoWrites(inOrder, [started, completed, started]);
        const reversed = await newRunId();
        await repo.applyAutoWrites(reversed, [completed]);
        await repo.applyAutoWrites(reversed, [started]);
        for (const runId of [inOrder, reversed]) {
          const [validation, ...others] = await repo.listByRun(runId);
          expect(others).toEqual([]);
          expect(validation).toMatchObject({
            kind: ValidationKind.AUTO,
            status: ValidationStatus.COMPLETED,
            verdict: Verdict.PASS,
            scores: [{ name: 'novelty', score: 7 }],
            model: 'gpt-review',
            rubricVersion: 'v2',
            startedAt: t(1),
            completedAt: t(2),
          });
        }
      });

      it('starts a new attempt when a start is newer than the last completion', async () => {
        const runId = await newRunId();
        await repo.applyAutoWrites(runId, [started, completed, { kind: 'started', at: t(5), model: 'gpt-review-2', rubricVersion: 'v3' }]);
        expect((await repo.listByRun(runId))[0]).toMatchObject({ status: ValidationStatus.RUNNING, verdict: null, model: 'gpt-review-2', startedAt: t(5) });
      });
    });
  });
}
