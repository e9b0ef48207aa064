import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { logConnectionErrors } from '../redis/connection-errors.js';
import { ORCHESTRATOR_JOB_OPTIONS, ORCHESTRATOR_QUEUE, OrchestratorJobName, OrchestratorJobs } from './orchestrator.jobs.js';

export interface QueuedJob {
  id: string;
  name: string;
  state: string;
  attemptsMade: number;
  failedReason: string | null;
  createdAt: Date;
}

/** Typed producer for the `orchestrator` queue. */
@Injectable()
export class OrchestratorQueue {
  constructor(
    @InjectQueue(ORCHESTRATOR_QUEUE) private readonly queue: Queue,
    logger: PinoLogger,
  ) {
    logger.setContext(OrchestratorQueue.name);
    logConnectionErrors(queue, 'queue:orchestrator', logger);
  }

  async enqueue<N extends OrchestratorJobName>(name: N, data: OrchestratorJobs[N]): Promise<void> {
    await this.queue.add(name, data, ORCHESTRATOR_JOB_OPTIONS[name](data));
  }

  /** Runs `name` every `everyMs` on exactly one instance (a BullMQ job scheduler, idempotent to declare). */
  async schedule(name: 'watchdog' | 'reaper', everyMs: number): Promise<void> {
    await this.queue.upsertJobScheduler(name, { every: everyMs }, { name, data: {}, opts: ORCHESTRATOR_JOB_OPTIONS[name]({}) });
  }

  /** Queue depths for the overview. */
  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
  }

  async find(jobId: string): Promise<QueuedJob | null> {
    const job = await this.queue.getJob(jobId);
    if (!job?.id) return null;
    return {
      id: job.id,
      name: job.name,
      state: await job.getState(),
      attemptsMade: job.attemptsMade,
      failedReason: job.failedReason ?? null,
      createdAt: new Date(job.timestamp),
    };
  }
}
