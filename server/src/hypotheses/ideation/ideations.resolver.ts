import { Inject } from '@nestjs/common';
import { Args, Context, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { type GraphqlContext, requestLoader } from '../../common/graphql/graphql-context.js';
import { toConnection } from '../../common/pagination/connection.js';
import { PUB_SUB } from '../../infra/pubsub/pubsub.module.js';
import { HypothesesService } from '../hypotheses.service.js';
import type { Hypothesis } from '../hypothesis.js';
import { HypothesisModel, toHypothesisModel } from '../models/hypothesis.model.js';
import { IdeationIdArgs, IdeationsArgs, IdeationsChangedArgs } from './dto/ideations.args.js';
import { IdeationsService } from './ideations.service.js';
import { type IdeationChangedPayload, IdeationsTopics } from './ideations.topics.js';
import { IdeationConnection, IdeationCountsModel, IdeationModel, toIdeationCounts, toIdeationModel } from './models/ideation.model.js';

@Resolver(() => IdeationModel)
export class IdeationsResolver {
  constructor(
    private readonly ideationsService: IdeationsService,
    private readonly hypothesesService: HypothesesService,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
  ) {}

  @Query(() => IdeationConnection, { description: 'Ideation requests, newest first, with counts per status.' })
  async ideations(@Args() { status, hypothesisId, first, after }: IdeationsArgs) {
    const filter = { status: status ?? undefined, hypothesisId: hypothesisId ?? undefined };
    const { page, totalCount, counts } = await this.ideationsService.list(filter, first, after);
    return { ...toConnection(page, totalCount, toIdeationModel), countsByStatus: toIdeationCounts(counts) };
  }

  @Query(() => IdeationModel, { nullable: true, description: 'One ideation request; NOT_FOUND when there is none with this id.' })
  async ideation(@Args() { id }: IdeationIdArgs) {
    return toIdeationModel(await this.ideationsService.get(id));
  }

  @Query(() => IdeationCountsModel, { description: 'How many ideation requests are queued, running, completed and failed.' })
  async ideationSummary() {
    return toIdeationCounts(await this.ideationsService.summary());
  }

  @Subscription(() => IdeationModel, {
    resolve: (payload: IdeationChangedPayload) => toIdeationModel(payload.ideation),
    description: 'An ideation request after each change (queued, running, each round, completed, failed, run launched); one request with id.',
  })
  async ideationsChanged(@Args() { id }: IdeationsChangedArgs) {
    if (!id) return this.pubSub.asyncIterableIterator(IdeationsTopics.changed);
    await this.ideationsService.get(id);
    return this.pubSub.asyncIterableIterator(IdeationsTopics.updated(id));
  }

  @ResolveField(() => HypothesisModel, { nullable: true, description: 'Null only if the hypothesis was never stored (a crash while creating it).' })
  async hypothesis(@Parent() ideation: IdeationModel, @Context() context: GraphqlContext) {
    const loader = requestLoader<Hypothesis>(context, 'hypothesis', (ids) => this.hypothesesService.getMany(ids));
    const hypothesis = await loader.load(ideation.hypothesisId);
    return hypothesis ? toHypothesisModel(hypothesis) : null;
  }
}
