import { SortDirection } from '../../src/common/pagination/cursor.js';
import { type IncomingEvent, LogLevel } from '../../src/events/event.js';
import { EVENTS_ADAPTERS } from '../../src/events/events.module.js';
import type { EventsRepository } from '../../src/events/events.repository.js';
import { RUN_TOKENS_ADAPTERS } from '../../src/events/run-tokens/run-tokens.module.js';
import type { StoreUnderTest, TestStore } from '../support/stores.js';

const RUN = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';

const anEvent = (id: string, overrides: Partial<IncomingEvent> = {}): IncomingEvent => ({
  id,
  runId: RUN,
  type: 'ai.run.heartbeat',
  source: 'worker://test',
  sourceSeq: null,
  time: new Date(Date.UTC(2026, 0, 1)),
  data: { gpu_util: 50 },
  traceparent: null,
  known: true,
  level: null,
  message: null,
  ...overrides,
});
const aLog = (id: string, level: LogLevel, message: string) =>
  anEvent(id, { type: 'ai.run.log', level, message, data: { level, message } });

export function eventsRepositoryContract(storeUnderTest: StoreUnderTest) {
  describe(`EventsRepository on ${storeUnderTest.name}`, () => {
    let store: TestStore;
    let repo: EventsRepository;

    beforeEach(async () => {
      store = await storeUnderTest.open();
      repo = await store.repository(EVENTS_ADAPTERS);
    });
    afterEach(() => store.close());

    it('numbers a run\'s events 1, 2, 3... in storing order and round-trips them', async () => {
      const at = new Date(Date.UTC(2026, 0, 2));
      const first = await repo.append(RUN, [anEvent('a', { sourceSeq: 7, traceparent: '00-' + '1'.repeat(32) + '-' + '2'.repeat(16) + '-01' }), anEvent('b')], at);
      const second = await repo.append(RUN, [anEvent('c', { type: 'ai.experiment.node_completed', known: false, data: { 'a.b': 1, $x: [1] } })], at);
      expect(first.stored.map((e) => e.seq)).toEqual([1, 2]);
      expect(second.stored.map((e) => [e.seq, e.outcome])).toEqual([[3, 'unknown type: stored and shown, not applied']]);
      expect(await repo.listAfter(RUN, 0, 10)).toEqual([...first.stored, ...second.stored]);
      expect(await repo.positions(RUN)).toEqual({ lastSeq: 3, appliedSeq: 0 });
      expect((await repo.append(OTHER, [anEvent('d', { runId: OTHER })], at)).stored[0].seq).toBe(1);
    });

    it('stores an id once: again in a later batch or twice in one batch is a duplicate', async () => {
      await repo.append(RUN, [anEvent('a'), anEvent('b')], new Date());
      const again = await repo.append(RUN, [anEvent('b'), anEvent('c'), anEvent('c'), anEvent('a')], new Date());
      expect(again.stored.map((e) => [e.id, e.seq])).toEqual([['c', 3]]);
      expect(again.duplicateIds.sort()).toEqual(['a', 'b', 'c']);
      expect(await repo.positions(RUN)).toMatchObject({ lastSeq: 3 });
    });

    it('keeps positions gapless and ids unique under 20 concurrent appends', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => repo.append(RUN, [anEvent(`e${i}`), anEvent(`shared`), anEvent(`e${i}b`)], new Date())),
      );
      const stored = results.flatMap((r) => r.stored);
      expect(stored).toHaveLength(41);
      expect(stored.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    });

    it('moves the applied position by compare-and-set and lists runs with pending events', async () => {
      await repo.append(RUN, [anEvent('a'), anEvent('b')], new Date());
      expect(await repo.runsWithPendingProjection()).toEqual([RUN]);
      expect(await repo.markApplied(RUN, 0, 2)).toBe(true);
      expect(await repo.markApplied(RUN, 0, 2)).toBe(false);
      expect(await repo.markApplied(RUN, 2, 5)).toBe(false);
      expect(await repo.runsWithPendingProjection()).toEqual([]);
    });

    it('records an outcome once', async () => {
      await repo.append(RUN, [anEvent('a')], new Date());
      await repo.setOutcomes(RUN, [{ seq: 1, outcome: 'first' }]);
      await repo.setOutcomes(RUN, [{ seq: 1, outcome: 'second' }]);
      expect((await repo.listAfter(RUN, 0, 1))[0].outcome).toBe('first');
    });

    it('filters by type, level and text before paging, both ways, and counts the same set', async () => {
      await repo.append(
        RUN,
        [
          aLog('l1', LogLevel.INFO, 'epoch 1 loss 0.9'),
          anEvent('h1'),
          aLog('l2', LogLevel.ERROR, 'CUDA out of memory'),
          aLog('l3', LogLevel.INFO, 'epoch 2 LOSS 0.5'),
          anEvent('h2'),
          aLog('l4', LogLevel.WARN, '100% done_ok'),
        ],
        new Date(),
      );
      const ids = async (query: Parameters<EventsRepository['list']>[1]) => (await repo.list(RUN, query)).items.map((e) => e.id);
      expect(await ids({ types: ['ai.run.log'], direction: SortDirection.DESC, limit: 10 })).toEqual(['l4', 'l3', 'l2', 'l1']);
      expect(await ids({ levels: [LogLevel.INFO], direction: SortDirection.ASC, limit: 10 })).toEqual(['l1', 'l3']);
      expect(await ids({ search: 'loss', direction: SortDirection.ASC, limit: 10 })).toEqual(['l1', 'l3']);
      expect(await ids({ search: '100%', direction: SortDirection.ASC, limit: 10 })).toEqual(['l4']);
      expect(await ids({ search: '_o', direction: SortDirection.ASC, limit: 10 })).toEqual(['l4']);
      expect(await ids({ direction: SortDirection.ASC, afterSeq: 2, beforeSeq: 5, limit: 10 })).toEqual(['l2', 'l3']);
      const page = await repo.list(RUN, { types: ['ai.run.log'], direction: SortDirection.DESC, limit: 3 });
      expect(page.hasMore).toBe(true);
      expect(await ids({ types: ['ai.run.log'], direction: SortDirection.DESC, beforeSeq: page.items[2].seq, limit: 3 })).toEqual(['l1']);
      expect(await repo.count(RUN, { types: ['ai.run.log'] })).toBe(4);
      expect(await repo.count(RUN, { levels: [LogLevel.INFO, LogLevel.WARN] })).toBe(3);
      expect(await repo.count(RUN, { types: [] })).toBe(0);
    });
  });

  describe(`RunTokensRepository on ${storeUnderTest.name}`, () => {
    let store: TestStore;
    beforeEach(async () => {
      store = await storeUnderTest.open();
    });
    afterEach(() => store.close());

    it('finds a token\'s run until the run\'s tokens are revoked', async () => {
      const repo = await store.repository(RUN_TOKENS_ADAPTERS);
      await repo.insert({ tokenHash: 'h1', runId: RUN, createdAt: new Date() });
      await repo.insert({ tokenHash: 'h2', runId: RUN, createdAt: new Date() });
      await repo.insert({ tokenHash: 'h3', runId: OTHER, createdAt: new Date() });
      expect(await repo.findActiveRun('h1')).toBe(RUN);
      expect(await repo.revokeAll(RUN, new Date())).toBe(2);
      expect(await repo.findActiveRun('h1')).toBeNull();
      expect(await repo.findActiveRun('h3')).toBe(OTHER);
      expect(await repo.findActiveRun('unknown')).toBeNull();
    });
  });
}
