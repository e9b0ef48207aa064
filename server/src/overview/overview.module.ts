import { Module } from '@nestjs/common';
import { HypothesesModule } from '../hypotheses/hypotheses.module.js';
import { PodsModule } from '../pods/pods.module.js';
import { RunsModule } from '../runs/runs.module.js';
import { ValidationModule } from '../validation/validation.module.js';
import { OverviewResolver } from './overview.resolver.js';
import { OverviewService } from './overview.service.js';

@Module({
  imports: [RunsModule, HypothesesModule, ValidationModule, PodsModule],
  providers: [OverviewService, OverviewResolver],
})
export class OverviewModule {}
