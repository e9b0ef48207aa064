import { ArtifactStatus, type ArtifactWrite } from '../../src/artifacts/artifact.js';
import { ARTIFACTS_ADAPTERS } from '../../src/artifacts/artifacts.module.js';
import type { ArtifactsRepository } from '../../src/artifacts/artifacts.repository.js';
import { randomUUID } from 'node:crypto';
import type { StoreUnderTest, TestStore } from '../support/stores.js';

const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

const registered = (runId: string, name: string, at: Date, kind = 'plot'): ArtifactWrite => ({
  key: `runs/${runId}/${name}`,
  at,
  status: ArtifactStatus.REGISTERED,
  kind,
  bytes: 10,
  sha256: 'a'.repeat(64),
  contentType: 'image/png',
});

/** What the artifacts module adds to the projection's writes: finding and removing a run's records. */
export function artifactsRepositoryContract(storeUnderTest: StoreUnderTest) {
  describe(`ArtifactsRepository on ${storeUnderTest.name}`, () => {
    let store: TestStore;
    let repo: ArtifactsRepository;

    beforeEach(async () => {
      store = await storeUnderTest.open();
      repo = await store.repository(ARTIFACTS_ADAPTERS);
    });
    afterEach(() => store.close());

    describe('find', () => {
      it('finds a record by run and key, and nothing for another run or key', async () => {
        const runId = randomUUID();
        await repo.applyWrites(runId, [registered(runId, 'paper.pdf', t(1), 'paper')]);
        expect(await repo.find(runId, `runs/${runId}/paper.pdf`)).toMatchObject({ runId, kind: 'paper', status: ArtifactStatus.REGISTERED });
        expect(await repo.find(runId, `runs/${runId}/other.pdf`)).toBeNull();
        expect(await repo.find(randomUUID(), `runs/${runId}/paper.pdf`)).toBeNull();
      });
    });

    describe('deleteByRun', () => {
      it('removes every record of the run, counts them, and leaves other runs alone', async () => {
        const [a, b] = [randomUUID(), randomUUID()];
        await repo.applyWrites(a, [registered(a, 'plots/loss.png', t(1)), registered(a, 'plots/acc.png', t(2)), registered(a, 'paper.pdf', t(3), 'paper')]);
        await repo.applyWrites(b, [registered(b, 'plots/loss.png', t(1))]);

        expect(await repo.deleteByRun(a)).toBe(3);
        expect(await repo.listByRun(a)).toEqual([]);
        expect((await repo.listByRun(b)).map((x) => x.key)).toEqual([`runs/${b}/plots/loss.png`]);
        expect(await repo.deleteByRun(a)).toBe(0);
      });

      it('lets the run record artifacts again afterwards', async () => {
        const runId = randomUUID();
        await repo.applyWrites(runId, [registered(runId, 'paper.pdf', t(5), 'paper')]);
        await repo.deleteByRun(runId);
        await repo.applyWrites(runId, [registered(runId, 'paper.pdf', t(1), 'paper')]);
        expect(await repo.find(runId, `runs/${runId}/paper.pdf`)).toMatchObject({ createdAt: t(1), updatedAt: t(1) });
      });
    });
  });
}
