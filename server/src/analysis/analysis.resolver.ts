import { Args, Context, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import { actorName, type Principal } from '../common/auth/principal.js';
import { type GraphqlContext, requestLoader } from '../common/graphql/graphql-context.js';
import { RunModel } from '../runs/models/run.model.js';
import { AnalysisService } from './analysis.service.js';
import { RequestPaperAnalysisArgs } from './dto/analysis.args.js';
import { PaperAnalysisModel, toPaperAnalysisModel } from './models/paper-analysis.model.js';
import type { PaperAnalysis } from './paper-analysis.js';

@Resolver(() => PaperAnalysisModel)
export class AnalysisResolver {
  constructor(private readonly analysisService: AnalysisService) {}

  @Mutation(() => PaperAnalysisModel, {
    description:
      'Queues an LLM analysis of the run\'s paper; it becomes the run\'s paperAnalysis (the previous one moves to paperAnalysisHistory). ' +
      'While one is queued or running, that one is returned. LLM_NOT_CONFIGURED without OPENAI_API_KEY; PAPER_NOT_AVAILABLE before the paper exists.',
  })
  async requestPaperAnalysis(@Args() { runId }: RequestPaperAnalysisArgs, @CurrentPrincipal() principal: Principal) {
    return toPaperAnalysisModel(await this.analysisService.request(runId, actorName(principal)));
  }
}

/** `Run.paperAnalysis` lives here because runs do not depend on analysis; one batched lookup per request. */
@Resolver(() => RunModel)
export class RunPaperAnalysisResolver {
  constructor(private readonly analysisService: AnalysisService) {}

  @ResolveField(() => PaperAnalysisModel, { nullable: true, description: 'The current LLM analysis of the run\'s paper.' })
  async paperAnalysis(@Parent() run: RunModel, @Context() context: GraphqlContext) {
    const loader = requestLoader<PaperAnalysis>(context, 'paperAnalysis', (ids) => this.analysisService.currentOfRuns(ids));
    const analysis = await loader.load(run.id);
    // Batch, but do not cache: a subscription's context outlives one event, and the analysis changes between them.
    loader.clear(run.id);
    return analysis ? toPaperAnalysisModel(analysis) : null;
  }

  @ResolveField(() => [PaperAnalysisModel], { description: 'Earlier analyses of the run\'s paper, newest first.' })
  async paperAnalysisHistory(@Parent() run: RunModel) {
    return (await this.analysisService.history(run.id)).map(toPaperAnalysisModel);
  }
}
