import { Global, Module } from '@nestjs/common';
import { RUN_TOKEN_RESOLVER } from '../../common/auth/authenticator.js';
import { storeAdapter, type StoreAdapters } from '../../infra/persistence/store-connection.js';
import { MongoRunTokensRepository } from './run-tokens.mongo-repository.js';
import { RUN_TOKENS_REPOSITORY, type RunTokensRepository } from './run-tokens.repository.js';
import { RunTokensService } from './run-tokens.service.js';
import { SqliteRunTokensRepository } from './run-tokens.sqlite-repository.js';

export const RUN_TOKENS_ADAPTERS: StoreAdapters<RunTokensRepository> = {
  sqlite: (db) => new SqliteRunTokensRepository(db),
  mongo: (connection) => new MongoRunTokensRepository(connection),
};

/** Run tokens, global because the authenticator (common) resolves them for every ingest request. */
@Global()
@Module({
  providers: [
    storeAdapter(RUN_TOKENS_REPOSITORY, RUN_TOKENS_ADAPTERS),
    RunTokensService,
    { provide: RUN_TOKEN_RESOLVER, useExisting: RunTokensService },
  ],
  exports: [RunTokensService, RUN_TOKEN_RESOLVER],
})
export class RunTokensModule {}
