import { Field, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('LlmUsage', { description: 'Tokens the LLM server reported for the calls of one request (0 when it reports none).' })
export class LlmUsageModel {
  @Field(() => Int)
  promptTokens: number;

  @Field(() => Int)
  completionTokens: number;

  @Field(() => Int)
  totalTokens: number;
}
