import { ArgsType, Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsArray, IsBoolean, IsEnum, IsOptional, IsUUID, MaxLength, ValidateNested } from 'class-validator';
import { PageArgs } from '../../common/pagination/connection.js';
import { SortDirection } from '../../common/pagination/cursor.js';
import { RunStatus } from '../run.js';
import type { ListRunsQuery } from '../runs.service.js';

registerEnumType(SortDirection, { name: 'SortDirection', description: 'By creation time.' });

@InputType()
export class RunFilterInput {
  @Field(() => [RunStatus], { nullable: true, description: 'Any of these statuses.' })
  @IsOptional()
  @IsArray()
  @IsEnum(RunStatus, { each: true })
  status?: RunStatus[] | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  hypothesisId?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description: 'false (default): visible runs; true: hidden runs; null: both.',
  })
  @IsOptional()
  @IsBoolean()
  hidden?: boolean | null = false;
}

@ArgsType()
export class RunsArgs extends PageArgs {
  @Field(() => RunFilterInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => RunFilterInput)
  filter?: RunFilterInput | null;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC })
  @IsEnum(SortDirection)
  order: SortDirection = SortDirection.DESC;
}

@ArgsType()
export class RunIdArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;
}

@ArgsType()
export class CancelRunArgs extends RunIdArgs {
  @Field(() => String, { nullable: true, description: 'Recorded in the status history.' })
  @IsOptional()
  @MaxLength(500)
  reason?: string | null;
}

/** The service query for runs(...) arguments; `hypothesisId` pins the list to one hypothesis (Hypothesis.runs). */
export function toListRunsQuery(args: RunsArgs, hypothesisId?: string): ListRunsQuery {
  const filter = args.filter ?? {};
  return {
    filter: {
      statuses: filter.status ?? undefined,
      hypothesisId: hypothesisId ?? filter.hypothesisId ?? undefined,
      hidden: filter.hidden ?? undefined,
    },
    first: args.first,
    after: args.after,
    order: args.order,
  };
}

@ArgsType()
export class RunSubscriptionArgs {
  @Field(() => ID)
  @IsUUID()
  runId: string;
}
