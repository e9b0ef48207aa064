import { Field, Float, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';
import { ConnectionType } from '../../common/pagination/connection.js';
import { RunModel } from '../../runs/models/run.model.js';
import { structuredReview, Validation, ValidationKind, ValidationStatus, Verdict } from '../validation.js';

registerEnumType(ValidationKind, { name: 'ValidationKind' });
registerEnumType(ValidationStatus, { name: 'ValidationStatus' });
registerEnumType(Verdict, { name: 'Verdict' });

@ObjectType('RubricScore')
export class RubricScoreModel {
  @Field()
  name: string;

  @Field(() => Float)
  score: number;
}

@ObjectType('Validation')
export class ValidationModel {
  @Field(() => ID)
  id: string;

  @Field(() => ValidationKind)
  kind: ValidationKind;

  @Field(() => ValidationStatus)
  status: ValidationStatus;

  @Field(() => Verdict, { nullable: true })
  verdict: Verdict | null;

  @Field(() => [RubricScoreModel])
  scores: RubricScoreModel[];

  @Field(() => String, { nullable: true })
  notes: string | null;

  @Field(() => GraphQLJSON, { nullable: true, description: 'The notes as a structured review, when they are JSON.' })
  review: Record<string, unknown> | null;

  @Field(() => String, { nullable: true })
  model: string | null;

  @Field(() => String, { nullable: true })
  rubricVersion: string | null;

  @Field(() => String, { nullable: true })
  reviewer: string | null;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;
}

export const toValidationModel = (validation: Validation): ValidationModel => ({
  ...validation,
  review: structuredReview(validation.notes),
});

@ObjectType('ValidationQueueItem', { description: 'A run waiting for a human review.' })
export class ValidationQueueItemModel {
  @Field(() => RunModel)
  run: RunModel;

  @Field(() => ValidationModel, { nullable: true, description: 'The worker\'s automatic validation, when there is one.' })
  autoValidation: ValidationModel | null;
}

export const ValidationQueueConnection = ConnectionType(ValidationQueueItemModel, 'ValidationQueueItem');

@ObjectType('SubmitHumanValidationPayload')
export class SubmitHumanValidationPayload {
  @Field(() => RunModel, { description: 'The run, now HUMAN_VALIDATED.' })
  run: RunModel;

  @Field(() => ValidationModel)
  validation: ValidationModel;
}
