import { DynamicModule, Module } from '@nestjs/common';
import type { Env } from '../config/env.js';
import { OrchestratorProcessor } from './orchestrator.processor.js';
import { PodsModule } from './pods.module.js';

/** Runs the `orchestrator` queue's jobs in this process where PROCESS_JOBS is true (API-only instances leave them to others). */
@Module({})
export class OrchestratorWorkerModule {
  static forRoot(env: Env): DynamicModule {
    return { module: OrchestratorWorkerModule, imports: [PodsModule], providers: env.PROCESS_JOBS ? [OrchestratorProcessor] : [] };
  }
}
