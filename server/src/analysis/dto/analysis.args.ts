import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsUUID } from 'class-validator';

@ArgsType()
export class RequestPaperAnalysisArgs {
  @Field(() => ID)
  @IsUUID()
  runId: string;
}
