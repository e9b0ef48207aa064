import { ArgsType, Field, ID, Int } from '@nestjs/graphql';
import { IsArray, IsEnum, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { SortDirection } from '../../common/pagination/cursor.js';
import { LogLevel } from '../event.js';

@ArgsType()
class FeedPageArgs {
  @Field(() => Int, { defaultValue: 50, description: 'Page size, 1 to 500.' })
  @IsInt()
  @Min(1)
  @Max(500)
  first = 50;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'Only events after this seq (exclusive).' })
  @IsOptional()
  @IsInt()
  @Min(0)
  afterSeq?: number | null;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC, description: 'DESC: newest first; ASC: oldest first.' })
  @IsEnum(SortDirection)
  order: SortDirection = SortDirection.DESC;
}

@ArgsType()
export class RunEventsArgs extends FeedPageArgs {
  @Field(() => [String], { nullable: true, description: 'Only these types.' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  types?: string[] | null;

  @Field(() => [LogLevel], { nullable: true, description: 'Only log lines of these levels.' })
  @IsOptional()
  @IsArray()
  @IsEnum(LogLevel, { each: true })
  levels?: LogLevel[] | null;
}

@ArgsType()
export class RunLogsArgs extends FeedPageArgs {
  @Field(() => [LogLevel], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(LogLevel, { each: true })
  levels?: LogLevel[] | null;

  @Field(() => String, { nullable: true, description: 'Lines containing this text (case-insensitive).' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  search?: string | null;
}

@ArgsType()
class RunStreamArgs {
  @Field(() => ID)
  @IsUUID()
  runId: string;

  @Field(() => Int, {
    nullable: true,
    description: 'Replay what is stored after this seq, then continue live; a reconnecting client passes the last seq it saw.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  afterSeq?: number | null;
}

@ArgsType()
export class RunEventAppendedArgs extends RunStreamArgs {
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  types?: string[] | null;
}

@ArgsType()
export class RunLogAppendedArgs extends RunStreamArgs {
  @Field(() => [LogLevel], { nullable: true })
  @IsOptional()
  @IsArray()
  @IsEnum(LogLevel, { each: true })
  levels?: LogLevel[] | null;
}

@ArgsType()
export class RunTokenArgs {
  @Field(() => ID)
  @IsUUID()
  runId: string;
}
