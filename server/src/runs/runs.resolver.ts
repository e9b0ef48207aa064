import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { actorName, type Principal } from '../common/auth/principal.js';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import { toConnection } from '../common/pagination/connection.js';
import { CancelRunArgs, RunIdArgs, RunsArgs, toListRunsQuery } from './dto/runs.args.js';
import { QueueJobModel, RunConnection, RunModel, StageModel, toRunModel, toStageModels } from './models/run.model.js';
import { RunsService } from './runs.service.js';

@Resolver(() => RunModel)
export class RunsResolver {
  constructor(private readonly runsService: RunsService) {}

  @Query(() => RunModel, { nullable: true, description: 'One run; NOT_FOUND when there is none with this id.' })
  async run(@Args() { id }: RunIdArgs) {
    return toRunModel(await this.runsService.get(id));
  }

  @Query(() => RunConnection, { description: 'Runs, newest first unless `order: ASC`.' })
  async runs(@Args() args: RunsArgs) {
    const { page, totalCount } = await this.runsService.list(toListRunsQuery(args));
    return toConnection(page, totalCount, toRunModel);
  }

  @Mutation(() => RunModel, { description: 'Cancels a run from any non-final state.' })
  async cancelRun(@Args() { id, reason }: CancelRunArgs, @CurrentPrincipal() principal: Principal) {
    return toRunModel(await this.runsService.cancel(id, actorName(principal), reason));
  }

  @Mutation(() => RunModel)
  async hideRun(@Args() { id }: RunIdArgs) {
    return toRunModel(await this.runsService.setHidden(id, true));
  }

  @Mutation(() => RunModel)
  async unhideRun(@Args() { id }: RunIdArgs) {
    return toRunModel(await this.runsService.setHidden(id, false));
  }

  @ResolveField(() => [StageModel], { description: 'The four pipeline stages in order.' })
  async stages(@Parent() run: RunModel) {
    return toStageModels(await this.runsService.stagesOf(run.id));
  }

  @ResolveField(() => QueueJobModel, { nullable: true, description: 'The run\'s `start` job while the queue holds it.' })
  startJob(@Parent() run: RunModel) {
    return this.runsService.startJobOf(run.id);
  }
}
