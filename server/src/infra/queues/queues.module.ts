import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { RedisEndpoint } from '../redis/redis.module.js';
import { ORCHESTRATOR_QUEUE } from './orchestrator.jobs.js';
import { OrchestratorQueue } from './orchestrator.queue.js';
import { VALIDATOR_QUEUE } from './validator.jobs.js';
import { ValidatorQueue } from './validator.queue.js';

/** BullMQ on the shared Redis, and the typed producers of each queue. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [RedisEndpoint],
      // BullMQ's blocking connections must retry forever rather than fail a command.
      useFactory: (endpoint: RedisEndpoint) => ({
        connection: { url: endpoint.url, maxRetriesPerRequest: null },
      }),
    }),
    BullModule.registerQueue({ name: ORCHESTRATOR_QUEUE }),
    BullModule.registerQueue({ name: VALIDATOR_QUEUE }),
  ],
  providers: [OrchestratorQueue, ValidatorQueue],
  exports: [OrchestratorQueue, ValidatorQueue, BullModule],
})
export class QueuesModule {}
