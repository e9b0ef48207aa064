import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min } from 'class-validator';
import { PageArgs } from '../../common/pagination/connection.js';
import { DEFAULT_REFLECTIONS, MAX_REFLECTIONS, MIN_REFLECTIONS } from '../ideation/ideation-request.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@InputType()
export class CreateHypothesisInput {
  @Field({ description: '3 to 200 characters.' })
  @Transform(trim)
  @IsString()
  @Length(3, 200)
  title: string;

  @Field({ description: '10 to 20,000 characters.' })
  @Transform(trim)
  @IsString()
  @Length(10, 20_000)
  idea: string;

  @Field(() => String, {
    nullable: true,
    description: 'Recorded as the author when the API has no tokens; with tokens the token\'s name is recorded.',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  createdBy?: string | null;

  @Field({
    defaultValue: false,
    description: 'Refine the idea with the LLM (AI-Scientist format) before any run: an ideation is queued instead of a run. Needs OPENAI_API_KEY.',
  })
  @IsBoolean()
  enableIdeation: boolean = false;

  @Field(() => Int, {
    defaultValue: DEFAULT_REFLECTIONS,
    description: 'With ideation: rounds of critique-and-improve after the first draft, 1 to 10 (3 reflections make 4 model calls).',
  })
  @IsInt()
  @Min(MIN_REFLECTIONS)
  @Max(MAX_REFLECTIONS)
  reflections: number = DEFAULT_REFLECTIONS;

  @Field({ defaultValue: false, description: 'With ideation: queue a run as soon as the ideation completes.' })
  @IsBoolean()
  autoLaunch: boolean = false;
}

@ArgsType()
export class HypothesisIdArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;
}

@ArgsType()
export class LaunchRunArgs {
  @Field(() => ID)
  @IsUUID()
  hypothesisId: string;

  @Field(() => String, {
    nullable: true,
    description: 'A client-chosen key: calls repeating it for the same hypothesis return the same run.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  @Matches(/^[\x21-\x7e]+$/, { message: 'idempotencyKey must be printable ASCII without spaces' })
  idempotencyKey?: string | null;
}

@ArgsType()
export class HypothesesArgs extends PageArgs {
  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'false (default): visible hypotheses; true: hidden ones; null: both.',
  })
  @IsOptional()
  @IsBoolean()
  hidden?: boolean | null = false;
}
