import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { type GraphqlContext, requestLoader } from '../../common/graphql/graphql-context.js';
import { toConnection } from '../../common/pagination/connection.js';
import { HypothesesService } from '../hypotheses.service.js';
import type { Hypothesis } from '../hypothesis.js';
import { HypothesisModel, toHypothesisModel } from '../models/hypothesis.model.js';
import { IdeationIdArgs, IdeationsArgs } from './dto/ideations.args.js';
import { IdeationsService } from './ideations.service.js';
import { IdeationConnection, IdeationCountsModel, IdeationModel, toIdeationCounts, toIdeationModel } from './models/ideation.model.js';

@Resolver(() => IdeationModel)
export class IdeationsResolver {
  constructor(
    private readonly ideationsService: IdeationsService,
    private readonly hypothesesService: HypothesesService,
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

  @ResolveField(() => HypothesisModel, { nullable: true, description: 'Null only if the hypothesis was never stored (a crash while creating it).' })
  async hypothesis(@Parent() ideation: IdeationModel, @Context() context: GraphqlContext) {
    const loader = requestLoader<Hypothesis>(context, 'hypothesis', (ids) => this.hypothesesService.getMany(ids));
    const hypothesis = await loader.load(ideation.hypothesisId);
    return hypothesis ? toHypothesisModel(hypothesis) : null;
  }
}
