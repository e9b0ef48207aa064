import { Module } from '@nestjs/common';
import { storeAdapter, type StoreAdapters } from '../infra/persistence/store-connection.js';
import { RunsModule } from '../runs/runs.module.js';
import { ArtifactsController } from './artifacts.controller.js';
import { ARTIFACTS_REPOSITORY, type ArtifactsRepository } from './artifacts.repository.js';
import { ArtifactsResolver, RunArtifactsResolver } from './artifacts.resolver.js';
import { ArtifactsService } from './artifacts.service.js';
import { MongoArtifactsRepository } from './mongo/artifacts.mongo-repository.js';
import { SqliteArtifactsRepository } from './sqlite/artifacts.sqlite-repository.js';

export const ARTIFACTS_ADAPTERS: StoreAdapters<ArtifactsRepository> = {
  sqlite: (db) => new SqliteArtifactsRepository(db),
  mongo: (connection) => new MongoArtifactsRepository(connection),
};

/** Artifact records, presign and download routes; the object storage itself comes from ObjectStorageModule (global). */
@Module({
  imports: [RunsModule],
  controllers: [ArtifactsController],
  providers: [storeAdapter(ARTIFACTS_REPOSITORY, ARTIFACTS_ADAPTERS), ArtifactsService, ArtifactsResolver, RunArtifactsResolver],
  exports: [ArtifactsService],
})
export class ArtifactsModule {}
