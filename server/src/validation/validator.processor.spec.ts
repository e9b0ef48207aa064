import { type Job, UnrecoverableError } from 'bullmq';
import type { PinoLogger } from 'nestjs-pino';
import { strictMock } from '../../test/support/strict-mock.js';
import type { AnalysisService } from '../analysis/analysis.service.js';
import { DomainError, ErrorKind } from '../common/errors/domain-error.js';
import type { ChatGptImportsService } from '../hypotheses/chatgpt/chatgpt-imports.service.js';
import type { IdeationsService } from '../hypotheses/ideation/ideations.service.js';
import { llmMalformedResponse, llmNotConfigured } from '../infra/llm/llm.errors.js';
import type { JobAttempt } from '../infra/queues/job-attempt.js';
import { ValidatorProcessor } from './validator.processor.js';

const job = (name: string, data: unknown, attemptsMade = 0, attempts = 3) => ({ name, data, attemptsMade, opts: { attempts } }) as unknown as Job;

function processor(analyze: (id: string, attempt: JobAttempt) => Promise<void> = async () => undefined) {
  return new ValidatorProcessor(
    strictMock<AnalysisService>({ analyze }, 'analysis'),
    strictMock<IdeationsService>({ ideate: async () => undefined }, 'ideations'),
    strictMock<ChatGptImportsService>({ import: async () => undefined }, 'imports'),
    strictMock<PinoLogger>({ setContext: () => undefined }, 'logger'),
  );
}

describe('ValidatorProcessor', () => {
  describe('onModuleInit', () => {
    it('starts when every job name has a handler', () => {
      expect(() => processor().onModuleInit()).not.toThrow();
    });
  });

  describe('process', () => {
    it('hands the job\'s data and attempt to the owning service', async () => {
      const calls: [string, JobAttempt][] = [];
      await processor(async (id, attempt) => void calls.push([id, attempt])).process(job('analyzePaper', { analysisId: 'a-1' }, 1, 3));
      expect(calls).toEqual([['a-1', { number: 2, max: 3 }]]);
    });

    it('rethrows a retryable failure as it is, so the queue retries it', async () => {
      const malformed = llmMalformedResponse('paper analysis', 'm', 'not JSON');
      await expect(processor(async () => Promise.reject(malformed)).process(job('analyzePaper', { analysisId: 'a' }))).rejects.toBe(malformed);
      const crash = new Error('socket hang up');
      await expect(processor(async () => Promise.reject(crash)).process(job('analyzePaper', { analysisId: 'a' }))).rejects.toBe(crash);
    });

    it('ends the job at once on a failure that running it again cannot fix', async () => {
      for (const error of [llmNotConfigured('paper analysis'), new DomainError(ErrorKind.Conflict, 'PAPER_NOT_AVAILABLE', 'no paper')]) {
        const failed = processor(async () => Promise.reject(error)).process(job('analyzePaper', { analysisId: 'a' }));
        await expect(failed).rejects.toBeInstanceOf(UnrecoverableError);
        await expect(failed).rejects.toThrow(error.message);
      }
    });

    it('refuses a job name it does not know', async () => {
      await expect(processor().process(job('mystery', {}))).rejects.toBeInstanceOf(UnrecoverableError);
    });
  });
});
