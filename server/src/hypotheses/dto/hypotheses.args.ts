import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { PageArgs } from '../../common/pagination/connection.js';

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
