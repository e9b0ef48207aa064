import { Module } from '@nestjs/common';
import { storeAdapter, type StoreAdapters } from '../infra/persistence/store-connection.js';
import { RunsModule } from '../runs/runs.module.js';
import { MongoValidationsRepository } from './mongo/validations.mongo-repository.js';
import { SqliteValidationsRepository } from './sqlite/validations.sqlite-repository.js';
import { RunValidationsResolver, ValidationResolver } from './validation.resolver.js';
import { ValidationService } from './validation.service.js';
import { VALIDATIONS_REPOSITORY, type ValidationsRepository } from './validations.repository.js';

export const VALIDATIONS_ADAPTERS: StoreAdapters<ValidationsRepository> = {
  sqlite: (db) => new SqliteValidationsRepository(db),
  mongo: (connection) => new MongoValidationsRepository(connection),
};

@Module({
  imports: [RunsModule],
  providers: [storeAdapter(VALIDATIONS_REPOSITORY, VALIDATIONS_ADAPTERS), ValidationService, ValidationResolver, RunValidationsResolver],
  exports: [ValidationService],
})
export class ValidationModule {}
