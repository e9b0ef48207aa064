import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { logConnectionErrors } from '../redis/connection-errors.js';
import { RedisEndpoint } from '../redis/redis.module.js';

export const PUB_SUB = Symbol('PUB_SUB');

// Payloads cross Redis as JSON. Fields with these names are dates in every payload type; free-form
// JSON (event data) travels as a string so that nothing inside it is touched.
const DATE_KEYS = new Set([
  'createdAt',
  'updatedAt',
  'startedAt',
  'completedAt',
  'failedAt',
  'lastHeartbeat',
  'at',
  'time',
  'receivedAt',
  'timestamp',
  'requestedAt',
  'readyAt',
  'terminatedAt',
  'finishedAt',
]);
const reviveDates = (key: string, value: unknown) => (typeof value === 'string' && DATE_KEYS.has(key) ? new Date(value) : value);

@Injectable()
class PubSubLifecycle implements OnApplicationShutdown {
  constructor(@Inject(PUB_SUB) private readonly pubSub: RedisPubSub) {}

  async onApplicationShutdown() {
    await this.pubSub.close().catch(() => undefined);
  }
}

/**
 * Redis pub/sub shared by every server instance: a change published by one reaches the
 * GraphQL subscribers of all. Two dedicated connections (a subscribed connection can do nothing else).
 */
@Global()
@Module({
  providers: [
    {
      provide: PUB_SUB,
      inject: [RedisEndpoint, PinoLogger],
      useFactory: (endpoint: RedisEndpoint, logger: PinoLogger) => {
        logger.setContext(PubSubModule.name);
        const publisher = new Redis(endpoint.url, { maxRetriesPerRequest: null });
        const subscriber = new Redis(endpoint.url, { maxRetriesPerRequest: null });
        logConnectionErrors(publisher, 'pubsub-publisher', logger);
        logConnectionErrors(subscriber, 'pubsub-subscriber', logger);
        return new RedisPubSub({ publisher, subscriber, reviver: reviveDates });
      },
    },
    PubSubLifecycle,
  ],
  exports: [PUB_SUB],
})
export class PubSubModule {}
