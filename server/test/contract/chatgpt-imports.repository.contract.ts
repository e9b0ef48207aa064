import { ChatGptPageFormat, ExtractionMethod, ExtractionStatus } from '../../src/hypotheses/chatgpt/chatgpt-import.js';
import type { ChatGptImportsRepository } from '../../src/hypotheses/chatgpt/chatgpt-imports.repository.js';
import { CHATGPT_IMPORTS_ADAPTERS } from '../../src/hypotheses/hypotheses.module.js';
import { aChatGptImport, datesFrom } from '../support/factories.js';
import { StoreUnderTest, TestStore } from '../support/stores.js';

export function chatGptImportsRepositoryContract(storeUnderTest: StoreUnderTest) {
  describe(`ChatGptImportsRepository on ${storeUnderTest.name}`, () => {
    let store: TestStore;
    let repo: ChatGptImportsRepository;

    beforeEach(async () => {
      store = await storeUnderTest.open();
      repo = await store.repository(CHATGPT_IMPORTS_ADAPTERS);
    });
    afterEach(() => store.close());

    it('round-trips every field', async () => {
      const at = new Date('2026-01-01T00:00:00Z');
      const request = aChatGptImport({
        status: ExtractionStatus.COMPLETED,
        enableIdeation: true,
        reflections: 4,
        autoLaunch: true,
        hypothesisId: 'h-1',
        format: ChatGptPageFormat.REACT_ROUTER_STREAM,
        method: ExtractionMethod.PLAIN,
        messageCount: 6,
        attempts: 1,
        startedAt: at,
        completedAt: at,
      });
      await repo.insert(request);
      expect(await repo.findById(request.id)).toEqual(request);
      expect(await repo.findById('missing')).toBeNull();
    });

    it('updates only from the given statuses (compare-and-set) and lists ids by status, oldest first', async () => {
      const [older, newer] = datesFrom(new Date('2026-03-01T00:00:00Z'), 2);
      const a = await repo.insert(aChatGptImport({ createdAt: older }));
      const b = await repo.insert(aChatGptImport({ createdAt: newer }));
      const at = new Date();
      expect(await repo.update(a.id, [ExtractionStatus.EXTRACTING], { status: ExtractionStatus.COMPLETED, updatedAt: at })).toBeNull();
      const extracting = await repo.update(a.id, [ExtractionStatus.PENDING], { status: ExtractionStatus.EXTRACTING, attempts: 1, startedAt: at, updatedAt: at });
      expect(extracting).toMatchObject({ status: ExtractionStatus.EXTRACTING, attempts: 1, startedAt: at, hypothesisId: null });
      expect(await repo.listIdsByStatus([ExtractionStatus.PENDING, ExtractionStatus.EXTRACTING])).toEqual([a.id, b.id]);
      expect(await repo.listIdsByStatus([ExtractionStatus.PENDING])).toEqual([b.id]);
      const failed = await repo.update(a.id, [ExtractionStatus.EXTRACTING], {
        status: ExtractionStatus.FAILED,
        errorCode: 'CHATGPT_SHARE_NOT_FOUND',
        errorMessage: 'gone',
        completedAt: at,
        updatedAt: at,
      });
      expect(failed).toMatchObject({ status: ExtractionStatus.FAILED, errorCode: 'CHATGPT_SHARE_NOT_FOUND', completedAt: at });
    });
  });
}
