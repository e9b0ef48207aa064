import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsUUID } from 'class-validator';
import { PageArgs } from '../../../common/pagination/connection.js';
import { IdeationStatus } from '../../hypothesis.js';

@ArgsType()
export class IdeationsArgs extends PageArgs {
  @Field(() => IdeationStatus, { nullable: true })
  @IsOptional()
  @IsEnum(IdeationStatus)
  status?: IdeationStatus | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  hypothesisId?: string | null;
}

@ArgsType()
export class IdeationIdArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;
}

@ArgsType()
export class IdeationsChangedArgs {
  @Field(() => ID, { nullable: true, description: 'Only this request; every request when absent.' })
  @IsOptional()
  @IsUUID()
  id?: string | null;
}
