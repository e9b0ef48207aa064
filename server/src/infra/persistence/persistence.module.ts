import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { getConnectionToken, MongooseModule } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';
import { join } from 'node:path';
import { Env } from '../../config/env.js';
import { openSqlite } from './sqlite/open-sqlite.js';
import { ensureIndexes, STORE_CONNECTION, type StoreConnection } from './store-connection.js';

/** Health and lifecycle of the configured store, whichever it is. */
@Injectable()
export class StoreHealth implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(STORE_CONNECTION) private readonly store: StoreConnection) {}

  get kind() {
    return this.store.kind;
  }

  async ping(): Promise<void> {
    if (this.store.kind === 'sqlite') this.store.db.prepare('SELECT 1').get();
    else await this.store.connection.db!.admin().ping();
  }

  // Repositories register their models while the module graph is built; build their indexes before serving.
  async onApplicationBootstrap() {
    await ensureIndexes(this.store);
  }

  async onApplicationShutdown() {
    // Mongoose's connection is closed by MongooseModule itself.
    if (this.store.kind === 'sqlite' && this.store.db.open) this.store.db.close();
  }
}

/** Connects to exactly one store (SQLite file or MongoDB) and exposes it as STORE_CONNECTION. */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(env: Env): DynamicModule {
    const common = { module: PersistenceModule, exports: [STORE_CONNECTION, StoreHealth] };
    if (env.STORE === 'mongo') {
      return {
        ...common,
        imports: [MongooseModule.forRoot(env.MONGODB_URI!, { dbName: env.MONGODB_DB, serverSelectionTimeoutMS: 10_000 })],
        providers: [
          {
            provide: STORE_CONNECTION,
            inject: [getConnectionToken()],
            useFactory: (connection: Connection): StoreConnection => ({ kind: 'mongo', connection }),
          },
          StoreHealth,
        ],
      };
    }
    return {
      ...common,
      providers: [
        {
          provide: STORE_CONNECTION,
          useFactory: (): StoreConnection => ({ kind: 'sqlite', db: openSqlite(join(env.DATA_DIR, 'orchestrator.sqlite')) }),
        },
        StoreHealth,
      ],
    };
  }
}
