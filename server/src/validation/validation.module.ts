import { Module } from '@nestjs/common';
import { storeAdapter, type StoreAdapters } from '../infra/persistence/store-connection.js';
import { MongoValidationsRepository } from './mongo/validations.mongo-repository.js';
import { SqliteValidationsRepository } from './sqlite/validations.sqlite-repository.js';
import { RunValidationsResolver } from './validation.resolver.js';
import { ValidationService } from './validation.service.js';
import { VALIDATIONS_REPOSITORY, type ValidationsRepository } from './validations.repository.js';

export const VALIDATIONS_ADAPTERS: StoreAdapters<ValidationsRepository> = {
  sqlite: (db) => new SqliteValidationsRepository(db),
  mongo: (connection) => new MongoValidationsRepository(connection),
};

@Module({
  providers: [storeAdapter(VALIDATIONS_REPOSITORY, VALIDATIONS_ADAPTERS), ValidationService, RunValidationsResolver],
  exports: [ValidationService],
})
export class ValidationModule {}
