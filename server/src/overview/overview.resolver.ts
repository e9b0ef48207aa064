import { Query, Resolver } from '@nestjs/graphql';
import { OverviewModel } from './overview.model.js';
import { OverviewService } from './overview.service.js';

@Resolver(() => OverviewModel)
export class OverviewResolver {
  constructor(private readonly overviewService: OverviewService) {}

  @Query(() => OverviewModel, { description: 'Counts per status, GPU slots, queue depths, failures, stage durations, drain estimate.' })
  overview() {
    return this.overviewService.overview();
  }
}
