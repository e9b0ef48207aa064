import { ArgsType, Field, Float, ID, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsEnum,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { Verdict } from '../validation.js';

@InputType('RubricScoreInput')
export class RubricScoreInput {
  @Field({ description: 'The rubric item, e.g. novelty, soundness, clarity.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @Field(() => Float, { description: 'From 0 to 100 (the auto validation scores out of 10).' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  score: number;
}

@ArgsType()
export class SubmitHumanValidationArgs {
  @Field(() => ID)
  @IsUUID()
  runId: string;

  @Field(() => Verdict)
  @IsEnum(Verdict)
  verdict: Verdict;

  @Field(() => [RubricScoreInput], { defaultValue: [] })
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique((item: RubricScoreInput) => item.name, { message: 'must not name a rubric item twice' })
  @ValidateNested({ each: true })
  @Type(() => RubricScoreInput)
  rubric: RubricScoreInput[] = [];

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  notes?: string | null;
}
