import { Args, Int, Mutation, Parent, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { toConnection } from '../common/pagination/connection.js';
import { encodeSeqCursor } from '../common/pagination/cursor.js';
import { RunModel } from '../runs/models/run.model.js';
import { LOG_TYPE } from './catalogue/catalogue.js';
import { RunEventAppendedArgs, RunEventsArgs, RunLogAppendedArgs, RunLogsArgs, RunTokenArgs } from './dto/events.args.js';
import type { StoredEvent } from './event.js';
import { EventsService } from './events.service.js';
import {
  IssuedRunTokenModel,
  LogLineConnection,
  LogLineModel,
  RunEventConnection,
  RunEventModel,
  toLogLineModel,
  toRunEventModel,
} from './models/run-event.model.js';
import { RunTokensService } from './run-tokens/run-tokens.service.js';

const cursorOf = (event: StoredEvent) => encodeSeqCursor(event.seq);

@Resolver(() => RunModel)
export class RunEventsResolver {
  constructor(
    private readonly eventsService: EventsService,
    private readonly runTokens: RunTokensService,
  ) {}

  @ResolveField(() => RunEventConnection, { description: 'The run\'s events (the whole story), newest first by default.' })
  async events(@Parent() run: RunModel, @Args() args: RunEventsArgs) {
    const { page, totalCount } = await this.eventsService.feed(run.id, args);
    return toConnection(page, totalCount, toRunEventModel, cursorOf);
  }

  @ResolveField(() => LogLineConnection, { description: 'The run\'s log lines, newest first by default; searchable.' })
  async logs(@Parent() run: RunModel, @Args() args: RunLogsArgs) {
    const { page, totalCount } = await this.eventsService.feed(run.id, { ...args, types: [LOG_TYPE] });
    return toConnection(page, totalCount, toLogLineModel, cursorOf);
  }

  @Subscription(() => RunEventModel, {
    resolve: toRunEventModel,
    description: 'A run\'s events as they are stored; with afterSeq, what is stored after it first. Each exactly once, in seq order.',
  })
  runEventAppended(@Args() { runId, afterSeq, types }: RunEventAppendedArgs) {
    const wanted = types && types.length > 0 ? new Set(types) : null;
    return this.eventsService.stream(runId, afterSeq, (event) => !wanted || wanted.has(event.type));
  }

  @Subscription(() => LogLineModel, {
    resolve: toLogLineModel,
    description: 'A run\'s log lines as they are stored; with afterSeq, what is stored after it first. Each exactly once, in order.',
  })
  runLogAppended(@Args() { runId, afterSeq, levels }: RunLogAppendedArgs) {
    const wanted = levels && levels.length > 0 ? new Set<string>(levels) : null;
    return this.eventsService.stream(
      runId,
      afterSeq,
      (event) => event.type === LOG_TYPE && event.level !== null && (!wanted || wanted.has(event.level)),
    );
  }

  @Mutation(() => IssuedRunTokenModel, { description: 'A new ingest token for a run\'s worker (shown once).' })
  async issueRunToken(@Args() { runId }: RunTokenArgs) {
    return { runId, token: await this.eventsService.issueRunToken(runId) };
  }

  @Mutation(() => Int, { description: 'Revokes every ingest token of a run; returns how many were active.' })
  revokeRunTokens(@Args() { runId }: RunTokenArgs) {
    return this.runTokens.revoke(runId);
  }
}
