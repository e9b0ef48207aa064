import { Module } from '@nestjs/common';
import { storeAdapter, type StoreAdapters } from '../infra/persistence/store-connection.js';
import { MongoRunsRepository } from './mongo/runs.mongo-repository.js';
import { MongoStagesRepository } from './mongo/stages.mongo-repository.js';
import { RUNS_REPOSITORY, type RunsRepository } from './runs.repository.js';
import { RunsResolver } from './runs.resolver.js';
import { RunsService } from './runs.service.js';
import { SqliteRunsRepository } from './sqlite/runs.sqlite-repository.js';
import { SqliteStagesRepository } from './sqlite/stages.sqlite-repository.js';
import { STAGES_REPOSITORY, type StagesRepository } from './stages.repository.js';

export const RUNS_ADAPTERS: StoreAdapters<RunsRepository> = {
  sqlite: (db) => new SqliteRunsRepository(db),
  mongo: (connection) => new MongoRunsRepository(connection),
};

export const STAGES_ADAPTERS: StoreAdapters<StagesRepository> = {
  sqlite: (db) => new SqliteStagesRepository(db),
  mongo: (connection) => new MongoStagesRepository(connection),
};

@Module({
  providers: [
    storeAdapter(RUNS_REPOSITORY, RUNS_ADAPTERS),
    storeAdapter(STAGES_REPOSITORY, STAGES_ADAPTERS),
    RunsService,
    RunsResolver,
  ],
  exports: [RunsService],
})
export class RunsModule {}
