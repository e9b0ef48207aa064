import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { PinoLogger } from 'nestjs-pino';
import { logConnectionErrors } from './connection-errors.js';

/** Where Redis is: REDIS_URL, or the embedded redis-server started before the app (see bootstrap). */
export class RedisEndpoint {
  constructor(readonly url: string) {}
}

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

@Injectable()
class RedisClientLifecycle implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: Redis) {}

  async onApplicationShutdown() {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

/** The one place that knows how to reach Redis; other modules inject REDIS_CLIENT or RedisEndpoint. */
@Global()
@Module({})
export class RedisModule {
  static forRoot(endpoint: RedisEndpoint) {
    return {
      module: RedisModule,
      providers: [
        { provide: RedisEndpoint, useValue: endpoint },
        {
          provide: REDIS_CLIENT,
          inject: [PinoLogger],
          useFactory: (logger: PinoLogger) => {
            logger.setContext(RedisModule.name);
            const client = new Redis(endpoint.url, { maxRetriesPerRequest: 3 });
            logConnectionErrors(client, 'redis', logger);
            return client;
          },
        },
        RedisClientLifecycle,
      ],
      exports: [RedisEndpoint, REDIS_CLIENT],
    };
  }
}
