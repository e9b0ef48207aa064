import { Module } from '@nestjs/common';
import { storeAdapter, type StoreAdapters } from '../infra/persistence/store-connection.js';
import { RunsModule } from '../runs/runs.module.js';
import { ChatGptExtractor } from './chatgpt/chatgpt-extractor.js';
import { CHATGPT_IMPORTS_REPOSITORY, type ChatGptImportsRepository } from './chatgpt/chatgpt-imports.repository.js';
import { ChatGptImportsService } from './chatgpt/chatgpt-imports.service.js';
import { ChatGptResolver } from './chatgpt/chatgpt.resolver.js';
import { MongoChatGptImportsRepository } from './chatgpt/mongo/chatgpt-imports.mongo-repository.js';
import { SqliteChatGptImportsRepository } from './chatgpt/sqlite/chatgpt-imports.sqlite-repository.js';
import { IdeaGenerator } from './ideation/idea-generator.js';
import { IDEATIONS_REPOSITORY, type IdeationsRepository } from './ideation/ideations.repository.js';
import { IdeationsResolver } from './ideation/ideations.resolver.js';
import { IdeationsService } from './ideation/ideations.service.js';
import { MongoIdeationsRepository } from './ideation/mongo/ideations.mongo-repository.js';
import { SqliteIdeationsRepository } from './ideation/sqlite/ideations.sqlite-repository.js';
import { HYPOTHESES_REPOSITORY, type HypothesesRepository } from './hypotheses.repository.js';
import { HypothesesResolver, RunHypothesisResolver } from './hypotheses.resolver.js';
import { HypothesesService } from './hypotheses.service.js';
import { MongoHypothesesRepository } from './mongo/hypotheses.mongo-repository.js';
import { SqliteHypothesesRepository } from './sqlite/hypotheses.sqlite-repository.js';

export const HYPOTHESES_ADAPTERS: StoreAdapters<HypothesesRepository> = {
  sqlite: (db) => new SqliteHypothesesRepository(db),
  mongo: (connection) => new MongoHypothesesRepository(connection),
};

export const IDEATIONS_ADAPTERS: StoreAdapters<IdeationsRepository> = {
  sqlite: (db) => new SqliteIdeationsRepository(db),
  mongo: (connection) => new MongoIdeationsRepository(connection),
};

export const CHATGPT_IMPORTS_ADAPTERS: StoreAdapters<ChatGptImportsRepository> = {
  sqlite: (db) => new SqliteChatGptImportsRepository(db),
  mongo: (connection) => new MongoChatGptImportsRepository(connection),
};

@Module({
  imports: [RunsModule],
  providers: [
    storeAdapter(HYPOTHESES_REPOSITORY, HYPOTHESES_ADAPTERS),
    storeAdapter(IDEATIONS_REPOSITORY, IDEATIONS_ADAPTERS),
    storeAdapter(CHATGPT_IMPORTS_REPOSITORY, CHATGPT_IMPORTS_ADAPTERS),
    HypothesesService,
    HypothesesResolver,
    RunHypothesisResolver,
    IdeaGenerator,
    IdeationsService,
    IdeationsResolver,
    ChatGptExtractor,
    ChatGptImportsService,
    ChatGptResolver,
  ],
  exports: [HypothesesService, IdeationsService, ChatGptImportsService],
})
export class HypothesesModule {}
