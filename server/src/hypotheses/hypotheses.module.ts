import { Module } from '@nestjs/common';
import { storeAdapter, type StoreAdapters } from '../infra/persistence/store-connection.js';
import { RunsModule } from '../runs/runs.module.js';
import { HYPOTHESES_REPOSITORY, type HypothesesRepository } from './hypotheses.repository.js';
import { HypothesesResolver, RunHypothesisResolver } from './hypotheses.resolver.js';
import { HypothesesService } from './hypotheses.service.js';
import { MongoHypothesesRepository } from './mongo/hypotheses.mongo-repository.js';
import { SqliteHypothesesRepository } from './sqlite/hypotheses.sqlite-repository.js';

export const HYPOTHESES_ADAPTERS: StoreAdapters<HypothesesRepository> = {
  sqlite: (db) => new SqliteHypothesesRepository(db),
  mongo: (connection) => new MongoHypothesesRepository(connection),
};

@Module({
  imports: [RunsModule],
  providers: [
    storeAdapter(HYPOTHESES_REPOSITORY, HYPOTHESES_ADAPTERS),
    HypothesesService,
    HypothesesResolver,
    RunHypothesisResolver,
  ],
  exports: [HypothesesService],
})
export class HypothesesModule {}
