import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import { actorName, type Principal } from '../common/auth/principal.js';
import { type GraphqlContext, requestLoader } from '../common/graphql/graphql-context.js';
import { toConnection } from '../common/pagination/connection.js';
import { PUB_SUB } from '../infra/pubsub/pubsub.module.js';
import { RunsArgs, toListRunsQuery } from '../runs/dto/runs.args.js';
import { RunConnection, RunModel, toRunModel } from '../runs/models/run.model.js';
import { RunsService } from '../runs/runs.service.js';
import { CreateHypothesisInput, HypothesesArgs, HypothesisIdArgs, LaunchRunArgs } from './dto/hypotheses.args.js';
import { HypothesesService } from './hypotheses.service.js';
import { type HypothesisChangedPayload, HypothesesTopics } from './hypotheses.topics.js';
import { toIdeationModel } from './ideation/models/ideation.model.js';
import {
  CreateHypothesisPayload,
  HideHypothesisPayload,
  HypothesisConnection,
  HypothesisModel,
  toHypothesisModel,
} from './models/hypothesis.model.js';

@Resolver(() => HypothesisModel)
export class HypothesesResolver {
  constructor(
    private readonly hypothesesService: HypothesesService,
    private readonly runsService: RunsService,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
  ) {}

  @Query(() => HypothesisModel, { nullable: true, description: 'One hypothesis; NOT_FOUND when there is none with this id.' })
  async hypothesis(@Args() { id }: HypothesisIdArgs) {
    return toHypothesisModel(await this.hypothesesService.get(id));
  }

  @Query(() => HypothesisConnection, { description: 'Hypotheses, newest first.' })
  async hypotheses(@Args() { hidden, first, after }: HypothesesArgs) {
    const { page, totalCount } = await this.hypothesesService.list({ hidden: hidden ?? undefined }, first, after);
    return toConnection(page, totalCount, toHypothesisModel);
  }

  @Mutation(() => CreateHypothesisPayload, {
    description:
      'Stores a hypothesis and queues its first run; with enableIdeation, queues an ideation instead (LLM_NOT_CONFIGURED without OPENAI_API_KEY).',
  })
  async createHypothesis(@Args('input') input: CreateHypothesisInput, @CurrentPrincipal() principal: Principal) {
    const createdBy = actorName(principal, input.createdBy ?? 'anonymous');
    const ideation = input.enableIdeation ? { reflections: input.reflections, autoLaunch: input.autoLaunch } : null;
    const created = await this.hypothesesService.create({ title: input.title, idea: input.idea, createdBy, ideation });
    return {
      hypothesis: toHypothesisModel(created.hypothesis),
      run: created.run ? toRunModel(created.run) : null,
      ideation: created.ideation ? toIdeationModel(created.ideation) : null,
    };
  }

  @Mutation(() => RunModel, { description: 'Queues another run of a hypothesis; IDEATION_IN_PROGRESS while its ideation is queued or running.' })
  async launchRun(@Args() { hypothesisId, idempotencyKey }: LaunchRunArgs, @CurrentPrincipal() principal: Principal) {
    return toRunModel(await this.hypothesesService.launchRun(hypothesisId, actorName(principal), idempotencyKey));
  }

  @Mutation(() => HideHypothesisPayload, { description: 'Hides a hypothesis and cancels every active run of it.' })
  async hideHypothesis(@Args() { id }: HypothesisIdArgs, @CurrentPrincipal() principal: Principal) {
    const { hypothesis, canceledRuns } = await this.hypothesesService.hide(id, actorName(principal));
    return { hypothesis: toHypothesisModel(hypothesis), canceledRuns };
  }

  @Mutation(() => HypothesisModel)
  async unhideHypothesis(@Args() { id }: HypothesisIdArgs) {
    return toHypothesisModel(await this.hypothesesService.unhide(id));
  }

  @Subscription(() => HypothesisModel, {
    resolve: (payload: HypothesisChangedPayload) => toHypothesisModel(payload.hypothesis),
    description: 'Any hypothesis created, hidden or shown again (its ideation changes come with ideationsChanged, its runs\' with runsChanged).',
  })
  hypothesesChanged() {
    return this.pubSub.asyncIterableIterator(HypothesesTopics.changed);
  }

  @ResolveField(() => RunConnection, { description: 'This hypothesis\' runs, newest first unless `order: ASC`.' })
  async runs(@Parent() hypothesis: HypothesisModel, @Args() args: RunsArgs) {
    const { page, totalCount } = await this.runsService.list(toListRunsQuery(args, hypothesis.id));
    return toConnection(page, totalCount, toRunModel);
  }
}

/** `Run.hypothesis` lives here because runs do not depend on hypotheses; one batched lookup per request. */
@Resolver(() => RunModel)
export class RunHypothesisResolver {
  constructor(private readonly hypothesesService: HypothesesService) {}

  @ResolveField(() => HypothesisModel)
  async hypothesis(@Parent() run: RunModel, @Context() context: GraphqlContext) {
    const loader = requestLoader(context, 'hypothesis', (ids) => this.hypothesesService.getMany(ids));
    return toHypothesisModel((await loader.load(run.hypothesisId))!);
  }
}
