import { Module } from '@nestjs/common';
import { ArtifactsModule } from '../artifacts/artifacts.module.js';
import { HypothesesModule } from '../hypotheses/hypotheses.module.js';
import { storeAdapter, type StoreAdapters } from '../infra/persistence/store-connection.js';
import { RunsModule } from '../runs/runs.module.js';
import { AnalysisResolver, RunPaperAnalysisResolver } from './analysis.resolver.js';
import { AnalysisService } from './analysis.service.js';
import { MongoPaperAnalysesRepository } from './mongo/paper-analyses.mongo-repository.js';
import { PAPER_ANALYSES_REPOSITORY, type PaperAnalysesRepository } from './paper-analyses.repository.js';
import { PaperAnalyzer } from './paper-analyzer.js';
import { SqlitePaperAnalysesRepository } from './sqlite/paper-analyses.sqlite-repository.js';

export const PAPER_ANALYSES_ADAPTERS: StoreAdapters<PaperAnalysesRepository> = {
  sqlite: (db) => new SqlitePaperAnalysesRepository(db),
  mongo: (connection) => new MongoPaperAnalysesRepository(connection),
};

@Module({
  imports: [RunsModule, ArtifactsModule, HypothesesModule],
  providers: [storeAdapter(PAPER_ANALYSES_REPOSITORY, PAPER_ANALYSES_ADAPTERS), PaperAnalyzer, AnalysisService, AnalysisResolver, RunPaperAnalysisResolver],
  exports: [AnalysisService],
})
export class AnalysisModule {}
