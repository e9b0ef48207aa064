import { Inject } from '@nestjs/common';
import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator.js';
import { actorName, type Principal } from '../../common/auth/principal.js';
import { type GraphqlContext, requestLoader } from '../../common/graphql/graphql-context.js';
import { PUB_SUB } from '../../infra/pubsub/pubsub.module.js';
import { HypothesesService } from '../hypotheses.service.js';
import type { Hypothesis } from '../hypothesis.js';
import { HypothesisModel, toHypothesisModel } from '../models/hypothesis.model.js';
import { ChatGptImportsService } from './chatgpt-imports.service.js';
import { type ChatGptImportChangedPayload, ChatGptImportsTopics } from './chatgpt-imports.topics.js';
import { ChatGptImportIdArgs, ExtractFromChatGptArgs, ImportHypothesisFromChatGptInput } from './dto/chatgpt.args.js';
import { ChatGptExtractionModel, ChatGptImportModel, toChatGptExtractionModel, toChatGptImportModel } from './models/chatgpt.model.js';

@Resolver(() => ChatGptImportModel)
export class ChatGptResolver {
  constructor(
    private readonly importsService: ChatGptImportsService,
    private readonly hypothesesService: HypothesesService,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
  ) {}

  @Mutation(() => ChatGptExtractionModel, {
    description:
      'Reads a ChatGPT share link now and returns the hypothesis it holds, without storing anything. ' +
      'Title and idea come from the LLM when one is configured, else plainly from the conversation (see method).',
  })
  async extractHypothesisFromChatGpt(@Args() { url }: ExtractFromChatGptArgs) {
    return toChatGptExtractionModel(await this.importsService.extract(url));
  }

  @Mutation(() => ChatGptImportModel, {
    description: 'Queues the creation of a hypothesis from a ChatGPT share link; follow it with chatGptImportUpdated(id) or chatGptImport(id).',
  })
  async importHypothesisFromChatGpt(@Args('input') input: ImportHypothesisFromChatGptInput, @CurrentPrincipal() principal: Principal) {
    const createdBy = actorName(principal, input.createdBy ?? 'anonymous');
    const ideation = input.enableIdeation ? { reflections: input.reflections, autoLaunch: input.autoLaunch } : null;
    return toChatGptImportModel(await this.importsService.request(input.url, createdBy, ideation));
  }

  @Query(() => ChatGptImportModel, { nullable: true, description: 'One ChatGPT import; NOT_FOUND when there is none with this id.' })
  async chatGptImport(@Args() { id }: ChatGptImportIdArgs) {
    return toChatGptImportModel(await this.importsService.get(id));
  }

  @Subscription(() => ChatGptImportModel, {
    resolve: (payload: ChatGptImportChangedPayload) => toChatGptImportModel(payload.import),
    description: 'One ChatGPT import after each change (extracting, completed, failed, pending again before a retry); read chatGptImport(id) once after subscribing for the state so far.',
  })
  async chatGptImportUpdated(@Args() { id }: ChatGptImportIdArgs) {
    await this.importsService.get(id);
    return this.pubSub.asyncIterableIterator(ChatGptImportsTopics.updated(id));
  }

  @ResolveField(() => HypothesisModel, { nullable: true })
  async hypothesis(@Parent() request: ChatGptImportModel, @Context() context: GraphqlContext) {
    if (!request.hypothesisId) return null;
    const loader = requestLoader<Hypothesis>(context, 'hypothesis', (ids) => this.hypothesesService.getMany(ids));
    const hypothesis = await loader.load(request.hypothesisId);
    return hypothesis ? toHypothesisModel(hypothesis) : null;
  }
}
