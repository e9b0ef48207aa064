import { UnrecoverableError, type Job } from 'bullmq';
import type { PinoLogger } from 'nestjs-pino';
import { strictMock } from '../../test/support/strict-mock.js';
import { OrchestratorProcessor } from './orchestrator.processor.js';
import type { PodsService } from './pods.service.js';

describe('OrchestratorProcessor', () => {
  const pods = strictMock<PodsService>({ watchdog: async () => 'checked', reap: async () => 'reaped' }, 'pods');
  const logger = strictMock<PinoLogger>({ setContext: () => undefined }, 'logger');

  describe('onModuleInit', () => {
    it('accepts a handler for every job name', () => {
      expect(() => new OrchestratorProcessor(pods, logger).onModuleInit()).not.toThrow();
    });

    it('refuses to start when a job name has no handler', () => {
      const processor = new OrchestratorProcessor(pods, logger);
      delete (processor as unknown as { handlers: Record<string, unknown> }).handlers.reaper;
      expect(() => processor.onModuleInit()).toThrow(/no handler for job\(s\) reaper/);
    });
  });

  describe('process', () => {
    it('hands each job to its handler', async () => {
      expect(await new OrchestratorProcessor(pods, logger).process({ name: 'watchdog', data: {} } as Job)).toBe('checked');
    });

    it('fails an unknown job for good instead of retrying it', async () => {
      await expect(new OrchestratorProcessor(pods, logger).process({ name: 'mystery', data: {} } as Job)).rejects.toBeInstanceOf(UnrecoverableError);
    });
  });
});
