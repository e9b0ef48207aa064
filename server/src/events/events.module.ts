import { Module } from '@nestjs/common';
import { ArtifactsModule } from '../artifacts/artifacts.module.js';
import { storeAdapter, type StoreAdapters } from '../infra/persistence/store-connection.js';
import { RunsModule } from '../runs/runs.module.js';
import { ValidationModule } from '../validation/validation.module.js';
import { EVENTS_REPOSITORY, type EventsRepository } from './events.repository.js';
import { RunEventsResolver } from './events.resolver.js';
import { EventsService } from './events.service.js';
import { IngestController } from './ingest.controller.js';
import { MongoEventsRepository } from './mongo/events.mongo-repository.js';
import { ProjectionService } from './projection/projection.service.js';
import { IngestRateLimitGuard } from './rate-limit/ingest-rate-limit.guard.js';
import { TokenBuckets } from './rate-limit/token-bucket.js';
import { RunLocks } from './run-lock.js';
import { SqliteEventsRepository } from './sqlite/events.sqlite-repository.js';

export const EVENTS_ADAPTERS: StoreAdapters<EventsRepository> = {
  sqlite: (db) => new SqliteEventsRepository(db),
  mongo: (connection) => new MongoEventsRepository(connection),
};

@Module({
  imports: [RunsModule, ArtifactsModule, ValidationModule],
  controllers: [IngestController],
  providers: [
    storeAdapter(EVENTS_REPOSITORY, EVENTS_ADAPTERS),
    RunLocks,
    ProjectionService,
    EventsService,
    RunEventsResolver,
    TokenBuckets,
    IngestRateLimitGuard,
  ],
  exports: [EventsService],
})
export class EventsModule {}
