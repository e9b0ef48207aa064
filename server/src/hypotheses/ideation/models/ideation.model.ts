import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';
import { PageInfo } from '../../../common/pagination/connection.js';
import { LlmUsageModel } from '../../../infra/llm/llm-usage.model.js';
import { type IdeaJson, IdeationStatus } from '../../hypothesis.js';
import type { IdeationCounts, IdeationRequest } from '../ideation-request.js';

@ObjectType('IdeationRound', { description: 'One model call of an ideation: round 0 is the first draft, then one per reflection.' })
export class IdeationRoundModel {
  @Field(() => Int)
  round: number;

  @Field(() => String, { nullable: true, description: 'The model\'s critique of the previous version (null for the draft).' })
  critique: string | null;

  @Field(() => GraphQLJSON, { description: 'The idea after this round, in the AI-Scientist format.' })
  idea: IdeaJson;

  @Field()
  at: Date;
}

@ObjectType('Ideation', { description: 'An LLM drafting an idea for a hypothesis in the AI-Scientist format and refining it in rounds.' })
export class IdeationModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  hypothesisId: string;

  @Field(() => IdeationStatus)
  status: IdeationStatus;

  @Field(() => Int, { description: 'Reflection rounds asked for (1 to 10); the ideation makes reflections + 1 model calls.' })
  reflections: number;

  @Field(() => Int, { description: 'Reflection rounds done so far.' })
  reflectionsDone: number;

  @Field({ description: 'A run is queued as soon as the ideation completes.' })
  autoLaunch: boolean;

  @Field()
  createdBy: string;

  @Field(() => String, { nullable: true })
  model: string | null;

  @Field(() => [IdeationRoundModel])
  rounds: IdeationRoundModel[];

  @Field(() => [GraphQLJSON], { description: 'The resulting ideas in the AI-Scientist format, once COMPLETED.' })
  ideas: IdeaJson[];

  @Field(() => Int, { description: 'Job attempts started so far.' })
  attempts: number;

  @Field(() => LlmUsageModel, { nullable: true })
  usage: LlmUsageModel | null;

  @Field(() => String, { nullable: true, description: 'Reason code of the failure, e.g. LLM_UNAVAILABLE.' })
  errorCode: string | null;

  @Field(() => String, { nullable: true })
  errorMessage: string | null;

  @Field(() => ID, { nullable: true, description: 'The run autoLaunch queued.' })
  runId: string | null;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;
}

@ObjectType('IdeationCounts', { description: 'How many ideation requests are in each status.' })
export class IdeationCountsModel {
  @Field(() => Int)
  queued: number;

  @Field(() => Int)
  running: number;

  @Field(() => Int)
  completed: number;

  @Field(() => Int)
  failed: number;

  @Field(() => Int)
  total: number;
}

@ObjectType('IdeationEdge')
export class IdeationEdge {
  @Field()
  cursor: string;

  @Field(() => IdeationModel)
  node: IdeationModel;
}

@ObjectType('IdeationConnection')
export class IdeationConnection {
  @Field(() => [IdeationEdge])
  edges: IdeationEdge[];

  @Field(() => [IdeationModel])
  nodes: IdeationModel[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int, { description: 'Requests matching the whole filter.' })
  totalCount: number;

  @Field(() => IdeationCountsModel, { description: 'Requests in each status, for the hypothesis filter only (not the status filter).' })
  countsByStatus: IdeationCountsModel;
}

export const toIdeationModel = (request: IdeationRequest): IdeationModel => ({
  ...request,
  reflectionsDone: Math.max(0, request.rounds.length - 1),
});

export const toIdeationCounts = (counts: IdeationCounts): IdeationCountsModel => ({
  queued: counts.QUEUED,
  running: counts.RUNNING,
  completed: counts.COMPLETED,
  failed: counts.FAILED,
  total: counts.QUEUED + counts.RUNNING + counts.COMPLETED + counts.FAILED,
});
