import { jest } from '@jest/globals';
import type { PinoLogger } from 'nestjs-pino';
import { aRun } from '../../test/support/factories.js';
import { strictMock } from '../../test/support/strict-mock.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { OrchestratorQueue } from '../infra/queues/orchestrator.queue.js';
import { RunStatus } from './run.js';
import type { RunsRepository } from './runs.repository.js';
import { RunsService } from './runs.service.js';
import type { StagesRepository } from './stages.repository.js';
import type { NodesRepository } from './nodes.repository.js';
import type { MetricsRepository } from './metrics.repository.js';
import type { RunChangesPublisher } from './run-changes.publisher.js';

const logger = strictMock<PinoLogger>({ setContext: () => undefined, info: () => undefined, error: () => undefined }, 'logger');

function service(runs: Partial<RunsRepository>, queue: Partial<OrchestratorQueue> = {}) {
  return new RunsService(
    strictMock<RunsRepository>(runs, 'runs'),
    strictMock<StagesRepository>({}, 'stages'),
    strictMock<NodesRepository>({}, 'nodes'),
    strictMock<MetricsRepository>({}, 'metrics'),
    strictMock<OrchestratorQueue>(queue, 'queue'),
    strictMock<RunChangesPublisher>({ changed: () => undefined }, 'changes'),
    logger,
  );
}

const hypothesisId = '11111111-1111-4111-8111-111111111111';

describe('RunsService', () => {
  describe('enqueue', () => {
    it('queues a start job for a new run', async () => {
      const enqueue = jest.fn(async () => undefined);
      const runs = service({ insert: async (run) => ({ run, created: true }) }, { enqueue });
      const run = await runs.enqueue({ hypothesisId, createdBy: 'ada' });
      expect(run).toMatchObject({ status: RunStatus.QUEUED, hypothesisId, createdBy: 'ada', idempotencyKey: null });
      expect(enqueue).toHaveBeenCalledWith('start', { runId: run.id });
    });

    it('does not queue again when an idempotency key returned an existing run', async () => {
      const existing = aRun({ hypothesisId, idempotencyKey: 'k' });
      const runs = service({ insert: async () => ({ run: existing, created: false }) });
      expect(await runs.enqueue({ hypothesisId, createdBy: 'ada', idempotencyKey: 'k' })).toBe(existing);
    });

    it('keeps the stored run when the queue is unreachable (it is queued again at start-up)', async () => {
      const runs = service(
        { insert: async (run) => ({ run, created: true }) },
        { enqueue: async () => Promise.reject(new Error('ECONNREFUSED')) },
      );
      expect((await runs.enqueue({ hypothesisId, createdBy: 'ada' })).status).toBe(RunStatus.QUEUED);
    });
  });

  describe('transition', () => {
    it('returns the updated run when the compare-and-set applied', async () => {
      const updated = aRun({
        hypothesisId,
        status: RunStatus.CANCELED,
        statusHistory: [{ from: RunStatus.QUEUED, to: RunStatus.CANCELED, at: new Date(), by: 'ada', reason: null }],
      });
      const runs = service({ transition: async () => updated });
      expect(await runs.cancel(updated.id, 'ada', 'no longer needed')).toBe(updated);
    });

    it('throws CONFLICT naming both states when the move is illegal', async () => {
      const current = aRun({ hypothesisId, status: RunStatus.FAILED });
      const runs = service({ transition: async () => null, findById: async () => current });
      const error = await runs.cancel(current.id, 'ada').catch((e: DomainError) => e);
      expect(error).toMatchObject({ kind: 'CONFLICT', reason: 'ILLEGAL_RUN_TRANSITION', details: { from: 'FAILED', to: 'CANCELED' } });
    });

    it('throws NOT_FOUND for an unknown run', async () => {
      const runs = service({ transition: async () => null, findById: async () => null });
      await expect(runs.cancel('missing', 'ada')).rejects.toMatchObject({ kind: 'NOT_FOUND', reason: 'RUN_NOT_FOUND' });
    });
  });

  describe('cancelActiveOfHypothesis', () => {
    it('cancels each active run and counts only those it moved', async () => {
      const transition = jest.fn<RunsRepository['transition']>();
      const canceled = aRun({
        hypothesisId,
        status: RunStatus.CANCELED,
        statusHistory: [{ from: RunStatus.QUEUED, to: RunStatus.CANCELED, at: new Date(), by: 'ada', reason: null }],
      });
      transition.mockResolvedValueOnce(canceled).mockResolvedValueOnce(null).mockResolvedValueOnce(canceled);
      const runs = service({ listIds: async () => ['a', 'b', 'c'], transition });
      expect(await runs.cancelActiveOfHypothesis(hypothesisId, 'ada', 'hypothesis hidden')).toBe(2);
      expect(transition).toHaveBeenCalledWith('b', expect.objectContaining({ to: RunStatus.CANCELED, by: 'ada', reason: 'hypothesis hidden' }));
    });
  });

  describe('list', () => {
    it('rejects a cursor it did not issue', async () => {
      const runs = service({});
      await expect(runs.list({ filter: {}, first: 10, after: 'garbage', order: 'DESC' as never })).rejects.toMatchObject({
        kind: 'BAD_USER_INPUT',
        reason: 'INVALID_CURSOR',
      });
    });
  });
});
