import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnModuleInit } from '@nestjs/common';
import { type Job, UnrecoverableError } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { ORCHESTRATOR_JOB_NAMES, ORCHESTRATOR_QUEUE, type OrchestratorJobName, type OrchestratorJobs } from '../infra/queues/orchestrator.jobs.js';
import { connectionErrorLog } from '../infra/redis/connection-errors.js';
import { PodsService } from './pods.service.js';

type Handlers = { [N in OrchestratorJobName]: (job: Job<OrchestratorJobs[N]>, token: string | undefined) => Promise<string> };

/** Consumer of the `orchestrator` queue: each job name to one PodsService method. */
@Processor(ORCHESTRATOR_QUEUE, { concurrency: 16 })
export class OrchestratorProcessor extends WorkerHost implements OnModuleInit {
  private readonly handlers: Handlers = {
    start: (job, token) => this.pods.startJob(job, token),
    writeup: (job, token) => this.pods.writeupJob(job, token),
    watchdog: () => this.pods.watchdog(),
    reaper: () => this.pods.reap(),
  };

  private readonly connectionErrors: (error: unknown) => void;

  constructor(
    private readonly pods: PodsService,
    logger: PinoLogger,
  ) {
    super();
    logger.setContext(OrchestratorProcessor.name);
    this.connectionErrors = connectionErrorLog('worker:orchestrator', logger);
  }

  @OnWorkerEvent('error')
  onWorkerError(error: Error) {
    this.connectionErrors(error);
  }

  /** A job name without a handler would sit in Redis forever: refuse to start instead. */
  onModuleInit() {
    const missing = ORCHESTRATOR_JOB_NAMES.filter((name) => typeof this.handlers[name] !== 'function');
    if (missing.length > 0) throw new Error(`orchestrator queue: no handler for job(s) ${missing.join(', ')}`);
  }

  async process(job: Job, token?: string): Promise<string> {
    const handler = this.handlers[job.name as OrchestratorJobName] as ((job: Job, token: string | undefined) => Promise<string>) | undefined;
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
    return handler(job, token);
  }
}
