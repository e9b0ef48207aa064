import { Field, Float, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';
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
