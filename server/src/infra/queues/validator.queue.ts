import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { logConnectionErrors } from '../redis/connection-errors.js';
import { VALIDATOR_JOB_OPTIONS, VALIDATOR_QUEUE, type ValidatorJobName, type ValidatorJobs } from './validator.jobs.js';

/** Typed producer for the `validator` queue. */
@Injectable()
export class ValidatorQueue {
  constructor(
    @InjectQueue(VALIDATOR_QUEUE) private readonly queue: Queue,
    logger: PinoLogger,
  ) {
    logger.setContext(ValidatorQueue.name);
    logConnectionErrors(queue, 'queue:validator', logger);
  }

  async enqueue<N extends ValidatorJobName>(name: N, data: ValidatorJobs[N]): Promise<void> {
    await this.queue.add(name, data, VALIDATOR_JOB_OPTIONS[name](data));
  }

  /** Queue depths for the overview. */
  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized');
  }
}
