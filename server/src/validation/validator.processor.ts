import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnModuleInit } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { AnalysisService } from '../analysis/analysis.service.js';
import { ChatGptImportsService } from '../hypotheses/chatgpt/chatgpt-imports.service.js';
import { IdeationsService } from '../hypotheses/ideation/ideations.service.js';
import { connectionErrorLog } from '../infra/redis/connection-errors.js';
import { failureOf, isRetryable, type JobAttempt } from '../infra/queues/job-attempt.js';
import { VALIDATOR_JOB_NAMES, VALIDATOR_QUEUE, type ValidatorJobName, type ValidatorJobs } from '../infra/queues/validator.jobs.js';

type Handlers = { [N in ValidatorJobName]: (data: ValidatorJobs[N], attempt: JobAttempt) => Promise<void> };

/**
 * Consumer of the `validator` queue (the LLM work): each job name to one service method. Failures
 * the job cannot recover from by running again (no LLM configured, a rejected request, a missing
 * paper) end the job at once as UnrecoverableError; others are retried within the job's attempts.
 */
@Processor(VALIDATOR_QUEUE, { concurrency: 4 })
export class ValidatorProcessor extends WorkerHost implements OnModuleInit {
  private readonly handlers: Handlers = {
    analyzePaper: ({ analysisId }, attempt) => this.analysis.analyze(analysisId, attempt),
    ideate: ({ ideationId }, attempt) => this.ideations.ideate(ideationId, attempt),
    importChatGpt: ({ importId }, attempt) => this.imports.import(importId, attempt),
  };

  private readonly connectionErrors: (error: unknown) => void;

  constructor(
    private readonly analysis: AnalysisService,
    private readonly ideations: IdeationsService,
    private readonly imports: ChatGptImportsService,
    logger: PinoLogger,
  ) {
    super();
    logger.setContext(ValidatorProcessor.name);
    this.connectionErrors = connectionErrorLog('worker:validator', logger);
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error) {
    this.connectionErrors(error);
  }

  /** A job name without a handler would sit in Redis forever: refuse to start instead. */
  onModuleInit() {
    const missing = VALIDATOR_JOB_NAMES.filter((name) => typeof this.handlers[name] !== 'function');
    const unlisted = Object.keys(this.handlers).filter((name) => !VALIDATOR_JOB_NAMES.includes(name as ValidatorJobName));
    if (missing.length > 0 || unlisted.length > 0) {
      throw new Error(`validator queue: no handler for job(s) [${missing.join(', ')}]; handlers for unlisted job(s) [${unlisted.join(', ')}]`);
    }
  }

  async process(job: Job): Promise<void> {
    const handler = this.handlers[job.name as ValidatorJobName] as ((data: unknown, attempt: JobAttempt) => Promise<void>) | undefined;
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
    try {
      await handler(job.data, { number: job.attemptsMade + 1, max: job.opts.attempts ?? 1 });
    } catch (error) {
      if (isRetryable(error)) throw error;
      throw new UnrecoverableError(failureOf(error).message);
    }
  }
}
