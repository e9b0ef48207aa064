import { DynamicModule, Module } from '@nestjs/common';
import { AnalysisModule } from '../analysis/analysis.module.js';
import type { Env } from '../config/env.js';
import { HypothesesModule } from '../hypotheses/hypotheses.module.js';
import { ValidatorProcessor } from './validator.processor.js';

/**
 * Runs the `validator` queue's jobs in this process, where PROCESS_VALIDATOR_JOBS (default:
 * PROCESS_JOBS) is true; the handlers come from the modules that own each job.
 */
@Module({})
export class ValidatorWorkerModule {
  static forRoot(env: Env): DynamicModule {
    const consume = env.PROCESS_VALIDATOR_JOBS ?? env.PROCESS_JOBS;
    return { module: ValidatorWorkerModule, imports: [AnalysisModule, HypothesesModule], providers: consume ? [ValidatorProcessor] : [] };
  }
}
