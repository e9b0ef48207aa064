import { Inject } from '@nestjs/common';
import { Args, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import { actorName, type Principal } from '../common/auth/principal.js';
import { toConnection } from '../common/pagination/connection.js';
import { PUB_SUB } from '../infra/pubsub/pubsub.module.js';
import { CancelRunArgs, RunIdArgs, RunsArgs, RunSubscriptionArgs, toListRunsQuery } from './dto/runs.args.js';
import {
  MetricModel,
  NodeHistoryEntryModel,
  QueueJobModel,
  RunConnection,
  RunModel,
  RunNodeModel,
  StageModel,
  StageTimingModel,
  toRunModel,
  toStageModels,
  toStageTimings,
} from './models/run.model.js';
import { RunsService } from './runs.service.js';
import { type RunChangedPayload, RunsTopics } from './runs.topics.js';

const runOfPayload = (payload: RunChangedPayload) => toRunModel(payload.run);

@Resolver(() => RunModel)
export class RunsResolver {
  constructor(
    private readonly runsService: RunsService,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
  ) {}

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

  @Mutation(() => RunModel, { description: 'Writes the paper again for a FAILED or COMPLETED run (a worker in writeup mode); one at a time.' })
  async retryWriteup(@Args() { id }: RunIdArgs, @CurrentPrincipal() principal: Principal) {
    return toRunModel(await this.runsService.retryWriteup(id, actorName(principal)));
  }

  @Mutation(() => RunModel)
  async hideRun(@Args() { id }: RunIdArgs) {
    return toRunModel(await this.runsService.setHidden(id, true));
  }

  @Mutation(() => RunModel)
  async unhideRun(@Args() { id }: RunIdArgs) {
    return toRunModel(await this.runsService.setHidden(id, false));
  }

  @Subscription(() => RunModel, { resolve: runOfPayload, description: 'The projected run after each change (bursts are coalesced).' })
  async runUpdated(@Args() { runId }: RunSubscriptionArgs) {
    await this.runsService.get(runId);
    return this.pubSub.asyncIterableIterator(RunsTopics.runUpdated(runId));
  }

  @Subscription(() => RunModel, { resolve: runOfPayload, description: 'Any run created or changed: for lists and the dashboard.' })
  runsChanged() {
    return this.pubSub.asyncIterableIterator(RunsTopics.runsChanged);
  }

  @ResolveField(() => [StageModel], { description: 'The four pipeline stages in order.' })
  async stages(@Parent() run: RunModel) {
    return toStageModels(await this.runsService.stagesOf(run.id));
  }

  @ResolveField(() => [StageTimingModel], { description: 'Elapsed and total time of each stage that has started.' })
  async stageTiming(@Parent() run: RunModel) {
    return toStageTimings(await this.runsService.stagesOf(run.id), new Date());
  }

  @ResolveField(() => [MetricModel], { description: 'The latest value of each metric, by name.' })
  metrics(@Parent() run: RunModel) {
    return this.runsService.metricsOf(run.id);
  }

  @ResolveField(() => [RunNodeModel], { description: 'The experiment search tree (parentId links).' })
  nodes(@Parent() run: RunModel) {
    return this.runsService.nodesOf(run.id);
  }

  @ResolveField(() => [NodeHistoryEntryModel], { description: 'Completed nodes in completion order: good vs buggy over time.' })
  nodeHistory(@Parent() run: RunModel) {
    return this.runsService.nodeHistoryOf(run.id);
  }

  @ResolveField(() => QueueJobModel, { nullable: true, description: 'The run\'s `start` job while the queue holds it.' })
  startJob(@Parent() run: RunModel) {
    return this.runsService.startJobOf(run.id);
  }
}
