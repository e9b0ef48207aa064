import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';
import { ConnectionType } from '../../common/pagination/connection.js';
import { RunModel } from '../../runs/models/run.model.js';
import { Hypothesis, IdeaJson, IdeationStatus } from '../hypothesis.js';
import { IdeationModel } from '../ideation/models/ideation.model.js';

registerEnumType(IdeationStatus, { name: 'IdeationStatus' });

@ObjectType('HypothesisIdeation')
export class HypothesisIdeationModel {
  @Field(() => ID)
  requestId: string;

  @Field(() => IdeationStatus)
  status: IdeationStatus;

  @Field(() => Int)
  reflections: number;

  @Field(() => [GraphQLJSON], { description: 'Ideas in the AI-Scientist format.' })
  ideas: IdeaJson[];
}

@ObjectType('Hypothesis')
export class HypothesisModel {
  @Field(() => ID)
  id: string;

  @Field()
  title: string;

  @Field()
  idea: string;

  @Field()
  createdBy: string;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  @Field(() => GraphQLJSON, { nullable: true, description: 'The idea as the worker reads it (AI-Scientist format).' })
  ideaJson: IdeaJson | null;

  @Field(() => String, { nullable: true })
  chatGptUrl: string | null;

  @Field(() => HypothesisIdeationModel, { nullable: true })
  ideation: HypothesisIdeationModel | null;

  @Field({ description: 'Demo data created by `npm run seed`.' })
  seed: boolean;

  @Field()
  hidden: boolean;
}

export const HypothesisConnection = ConnectionType(HypothesisModel, 'Hypothesis');

@ObjectType('CreateHypothesisPayload')
export class CreateHypothesisPayload {
  @Field(() => HypothesisModel)
  hypothesis: HypothesisModel;

  @Field(() => RunModel, { nullable: true, description: 'The first run, QUEUED; null when an ideation was queued instead.' })
  run: RunModel | null;

  @Field(() => IdeationModel, { nullable: true, description: 'The queued ideation, with enableIdeation.' })
  ideation: IdeationModel | null;
}

@ObjectType('HideHypothesisPayload')
export class HideHypothesisPayload {
  @Field(() => HypothesisModel)
  hypothesis: HypothesisModel;

  @Field(() => Int, { description: 'How many active runs of the hypothesis this call canceled.' })
  canceledRuns: number;
}

export const toHypothesisModel = (hypothesis: Hypothesis): HypothesisModel => hypothesis;
