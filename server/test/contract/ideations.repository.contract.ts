import { randomUUID } from 'node:crypto';
import { SortDirection } from '../../src/common/pagination/cursor.js';
import { IDEATIONS_ADAPTERS } from '../../src/hypotheses/hypotheses.module.js';
import { IdeationStatus } from '../../src/hypotheses/hypothesis.js';
import type { IdeationsRepository } from '../../src/hypotheses/ideation/ideations.repository.js';
import { anIdeation, datesFrom } from '../support/factories.js';
import { StoreUnderTest, TestStore } from '../support/stores.js';

export function ideationsRepositoryContract(storeUnderTest: StoreUnderTest) {
  describe(`IdeationsRepository on ${storeUnderTest.name}`, () => {
    let store: TestStore;
    let repo: IdeationsRepository;

    beforeEach(async () => {
      store = await storeUnderTest.open();
      repo = await store.repository(IDEATIONS_ADAPTERS);
    });
    afterEach(() => store.close());

    const page = (limit: number) => ({ limit, direction: SortDirection.DESC });
    const idea = { Name: 'sparse_attention', Title: 'Sparse attention', Experiments: ['a', 'b'] };

    it('round-trips every field, rounds and usage included', async () => {
      const at = new Date('2026-01-01T00:00:00Z');
      const request = anIdeation({
        hypothesisId: randomUUID(),
        status: IdeationStatus.COMPLETED,
        reflections: 2,
        autoLaunch: true,
        model: 'gpt-4o',
        rounds: [
          { round: 0, critique: null, idea, at },
          { round: 1, critique: 'too vague', idea: { ...idea, Title: 'Sharper' }, at: new Date(at.getTime() + 1000) },
        ],
        ideas: [idea],
        attempts: 1,
        usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
        runId: randomUUID(),
        startedAt: at,
        completedAt: at,
      });
      await repo.insert(request);
      expect(await repo.findById(request.id)).toEqual(request);
      expect(await repo.findById('missing')).toBeNull();
    });

    it('lists newest first with cursors, filtered by status and hypothesis, and counts the same set', async () => {
      const hypothesisId = randomUUID();
      const dates = datesFrom(new Date('2026-01-01T00:00:00Z'), 6);
      const statuses = [IdeationStatus.QUEUED, IdeationStatus.RUNNING, IdeationStatus.COMPLETED, IdeationStatus.COMPLETED, IdeationStatus.FAILED, IdeationStatus.QUEUED];
      const all = [];
      for (const [i, createdAt] of dates.entries()) {
        all.push(await repo.insert(anIdeation({ hypothesisId: i < 4 ? hypothesisId : randomUUID(), createdAt, status: statuses[i] })));
      }
      const first = await repo.list({}, page(4));
      expect(first.hasNextPage).toBe(true);
      const second = await repo.list({}, { ...page(4), after: first.items.at(-1)! });
      expect([...first.items, ...second.items].map((r) => r.id)).toEqual(all.map((r) => r.id).reverse());
      expect((await repo.list({ status: IdeationStatus.COMPLETED }, page(10))).items.map((r) => r.id)).toEqual([all[3].id, all[2].id]);
      expect((await repo.list({ hypothesisId, status: IdeationStatus.QUEUED }, page(10))).items.map((r) => r.id)).toEqual([all[0].id]);
      expect(await repo.count({})).toBe(6);
      expect(await repo.count({ hypothesisId })).toBe(4);
      expect(await repo.count({ status: IdeationStatus.QUEUED })).toBe(2);
    });

    it('counts requests in each status in the store, all four always present', async () => {
      const hypothesisId = randomUUID();
      expect(await repo.countByStatus({})).toEqual({ QUEUED: 0, RUNNING: 0, COMPLETED: 0, FAILED: 0 });
      for (const status of [IdeationStatus.QUEUED, IdeationStatus.QUEUED, IdeationStatus.FAILED]) await repo.insert(anIdeation({ hypothesisId, status }));
      await repo.insert(anIdeation({ hypothesisId: randomUUID(), status: IdeationStatus.RUNNING }));
      expect(await repo.countByStatus({})).toEqual({ QUEUED: 2, RUNNING: 1, COMPLETED: 0, FAILED: 1 });
      expect(await repo.countByStatus({ hypothesisId })).toEqual({ QUEUED: 2, RUNNING: 0, COMPLETED: 0, FAILED: 1 });
    });

    it('updates only from the given statuses (compare-and-set) and lists ids by status, oldest first', async () => {
      const [older, newer] = datesFrom(new Date('2026-03-01T00:00:00Z'), 2);
      const a = await repo.insert(anIdeation({ hypothesisId: randomUUID(), createdAt: older }));
      const b = await repo.insert(anIdeation({ hypothesisId: randomUUID(), createdAt: newer }));
      const at = new Date();
      expect(await repo.update(a.id, [IdeationStatus.RUNNING], { status: IdeationStatus.COMPLETED, updatedAt: at })).toBeNull();
      const running = await repo.update(a.id, [IdeationStatus.QUEUED], {
        status: IdeationStatus.RUNNING,
        attempts: 1,
        model: 'm',
        rounds: [{ round: 0, critique: null, idea, at }],
        startedAt: at,
        updatedAt: at,
      });
      expect(running).toMatchObject({ status: IdeationStatus.RUNNING, attempts: 1, model: 'm', rounds: [{ round: 0, idea, at }], startedAt: at });
      expect(await repo.listIdsByStatus([IdeationStatus.QUEUED, IdeationStatus.RUNNING])).toEqual([a.id, b.id]);
      expect(await repo.listIdsByStatus([IdeationStatus.QUEUED])).toEqual([b.id]);
      const failed = await repo.update(a.id, [IdeationStatus.RUNNING], { status: IdeationStatus.FAILED, errorCode: 'E', errorMessage: 'boom', updatedAt: at });
      expect(failed).toMatchObject({ status: IdeationStatus.FAILED, errorCode: 'E', errorMessage: 'boom', rounds: [{ round: 0 }] });
    });
  });
}
