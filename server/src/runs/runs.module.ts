import { Module } from '@nestjs/common';
import { storeAdapter, type StoreAdapters } from '../infra/persistence/store-connection.js';
import { MongoRunsRepository } from './mongo/runs.mongo-repository.js';
import { MongoStagesRepository } from './mongo/stages.mongo-repository.js';
import { MongoMetricsRepository } from './mongo/metrics.mongo-repository.js';
import { MongoNodesRepository } from './mongo/nodes.mongo-repository.js';
import { METRICS_REPOSITORY, type MetricsRepository } from './metrics.repository.js';
import { NODES_REPOSITORY, type NodesRepository } from './nodes.repository.js';
import { RunChangesPublisher } from './run-changes.publisher.js';
import { SqliteMetricsRepository } from './sqlite/metrics.sqlite-repository.js';
import { SqliteNodesRepository } from './sqlite/nodes.sqlite-repository.js';
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

export const NODES_ADAPTERS: StoreAdapters<NodesRepository> = {
  sqlite: (db) => new SqliteNodesRepository(db),
  mongo: (connection) => new MongoNodesRepository(connection),
};

export const METRICS_ADAPTERS: StoreAdapters<MetricsRepository> = {
  sqlite: (db) => new SqliteMetricsRepository(db),
  mongo: (connection) => new MongoMetricsRepository(connection),
};

@Module({
  providers: [
    storeAdapter(RUNS_REPOSITORY, RUNS_ADAPTERS),
    storeAdapter(STAGES_REPOSITORY, STAGES_ADAPTERS),
    storeAdapter(NODES_REPOSITORY, NODES_ADAPTERS),
    storeAdapter(METRICS_REPOSITORY, METRICS_ADAPTERS),
    RunChangesPublisher,
    RunsService,
    RunsResolver,
  ],
  exports: [RunsService],
})
export class RunsModule {}
