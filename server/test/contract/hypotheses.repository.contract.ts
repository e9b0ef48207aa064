import { SortDirection } from '../../src/common/pagination/cursor.js';
import { HYPOTHESES_ADAPTERS } from '../../src/hypotheses/hypotheses.module.js';
import { HypothesesRepository } from '../../src/hypotheses/hypotheses.repository.js';
import { IdeationStatus } from '../../src/hypotheses/hypothesis.js';
import { aHypothesis, datesFrom } from '../support/factories.js';
import { StoreUnderTest, TestStore } from '../support/stores.js';

export function hypothesesRepositoryContract(storeUnderTest: StoreUnderTest) {
  describe(`HypothesesRepository on ${storeUnderTest.name}`, () => {
    let store: TestStore;
    let repo: HypothesesRepository;

    beforeEach(async () => {
      store = await storeUnderTest.open();
      repo = await store.repository(HYPOTHESES_ADAPTERS);
    });
    afterEach(() => store.close());

    const page = (limit: number, direction = SortDirection.DESC) => ({ limit, direction });

    it('round-trips every field', async () => {
      const hypothesis = aHypothesis({
        chatGptUrl: 'https://chatgpt.com/share/abc',
        ideation: { requestId: 'req-1', status: IdeationStatus.COMPLETED, reflections: 3, ideas: [{ Name: 'x', Experiments: ['a'] }] },
        seed: true,
      });
      await repo.insert(hypothesis);
      expect(await repo.findById(hypothesis.id)).toEqual(hypothesis);
    });

    it('returns null for an unknown id and skips unknown ids in a batch', async () => {
      const known = await repo.insert(aHypothesis());
      expect(await repo.findById('00000000-0000-4000-8000-000000000000')).toBeNull();
      expect((await repo.findByIds([known.id, 'missing'])).map((h) => h.id)).toEqual([known.id]);
      expect(await repo.findByIds([])).toEqual([]);
    });

    it('lists newest first and pages with cursors without gaps or repeats, even while rows are added', async () => {
      const dates = datesFrom(new Date('2026-01-01T00:00:00Z'), 7);
      const all = [];
      for (const createdAt of dates) all.push(await repo.insert(aHypothesis({ createdAt })));
      const seen: string[] = [];
      let after;
      for (;;) {
        const result = await repo.list({}, { ...page(3), after });
        seen.push(...result.items.map((h) => h.id));
        // A newer row arriving mid-way must not shift the pages that follow.
        if (seen.length === 3) await repo.insert(aHypothesis({ createdAt: new Date('2026-02-01T00:00:00Z') }));
        if (!result.hasNextPage) break;
        after = result.items.at(-1)!;
      }
      expect(seen).toEqual(all.map((h) => h.id).reverse());
    });

    it('orders by id when creation times are equal, in both directions', async () => {
      const createdAt = new Date('2026-03-01T00:00:00Z');
      const ids = [];
      for (let i = 0; i < 4; i++) ids.push((await repo.insert(aHypothesis({ createdAt }))).id);
      const sorted = [...ids].sort();
      const first = await repo.list({}, page(2, SortDirection.ASC));
      const second = await repo.list({}, { ...page(2, SortDirection.ASC), after: first.items[1] });
      expect([...first.items, ...second.items].map((h) => h.id)).toEqual(sorted);
      expect(second.hasNextPage).toBe(false);
      const desc = await repo.list({}, page(10));
      expect(desc.items.map((h) => h.id)).toEqual([...sorted].reverse());
    });

    it('filters by hidden before paging and counts the same set', async () => {
      const dates = datesFrom(new Date('2026-01-01T00:00:00Z'), 6);
      for (const [i, createdAt] of dates.entries()) await repo.insert(aHypothesis({ createdAt, hidden: i % 3 === 0 }));
      const visible = await repo.list({ hidden: false }, page(10));
      expect(visible.items).toHaveLength(4);
      expect(visible.items.every((h) => !h.hidden)).toBe(true);
      expect(await repo.count({ hidden: false })).toBe(4);
      expect(await repo.count({ hidden: true })).toBe(2);
      expect(await repo.count({})).toBe(6);
      const firstVisible = await repo.list({ hidden: false }, page(3));
      expect(firstVisible.items).toHaveLength(3);
      expect(firstVisible.hasNextPage).toBe(true);
    });

    it('hides and unhides, and reports an unknown id as null', async () => {
      const hypothesis = await repo.insert(aHypothesis());
      const at = new Date(hypothesis.createdAt.getTime() + 1000);
      const hidden = await repo.setHidden(hypothesis.id, true, at);
      expect(hidden).toMatchObject({ id: hypothesis.id, hidden: true, updatedAt: at });
      expect((await repo.setHidden(hypothesis.id, false, at))?.hidden).toBe(false);
      expect(await repo.setHidden('missing', true, at)).toBeNull();
    });

    it('records the ideation state, and the idea JSON only when given', async () => {
      const hypothesis = await repo.insert(aHypothesis());
      const at = new Date(hypothesis.createdAt.getTime() + 1000);
      const running = { requestId: 'req-1', status: IdeationStatus.RUNNING, reflections: 3, ideas: [] };
      expect(await repo.setIdeation(hypothesis.id, running, at)).toMatchObject({ ideation: running, ideaJson: hypothesis.ideaJson, updatedAt: at });
      const idea = { Name: 'refined', Title: 'Refined', Experiments: ['e1'] };
      const completed = { ...running, status: IdeationStatus.COMPLETED, ideas: [idea] };
      const later = new Date(at.getTime() + 1000);
      expect(await repo.setIdeation(hypothesis.id, completed, later, idea)).toEqual({ ...hypothesis, ideation: completed, ideaJson: idea, updatedAt: later });
      expect(await repo.findById(hypothesis.id)).toMatchObject({ ideation: completed, ideaJson: idea });
      expect(await repo.setIdeation('missing', running, at)).toBeNull();
    });
  });
}
