import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { type ChatGptExtraction, type ChatGptImport, ChatGptPageFormat, ExtractionMethod, ExtractionStatus } from '../chatgpt-import.js';

registerEnumType(ExtractionStatus, { name: 'ExtractionStatus', description: 'PENDING (again while a failed attempt will be retried), EXTRACTING, COMPLETED, FAILED.' });
registerEnumType(ChatGptPageFormat, {
  name: 'ChatGptPageFormat',
  description: 'Where the conversation was found: Next.js data, a React Router turbo-stream, or the rendered messages.',
});
registerEnumType(ExtractionMethod, {
  name: 'ChatGptExtractionMethod',
  description: 'LLM: the configured model read the transcript. PLAIN (no LLM configured): the conversation\'s title and first user message, verbatim.',
});

@ObjectType('ChatGptMessage')
export class ChatGptMessageModel {
  @Field({ description: 'user or assistant' })
  role: string;

  @Field()
  text: string;
}

@ObjectType('ChatGptExtraction', { description: 'A hypothesis drawn from a ChatGPT share link.' })
export class ChatGptExtractionModel {
  @Field()
  title: string;

  @Field()
  idea: string;

  @Field(() => [ChatGptMessageModel])
  transcript: ChatGptMessageModel[];

  @Field(() => ChatGptPageFormat)
  format: ChatGptPageFormat;

  @Field(() => ExtractionMethod)
  method: ExtractionMethod;

  @Field(() => String, { nullable: true, description: 'The model that read the transcript (method LLM).' })
  model: string | null;
}

@ObjectType('ChatGptImport', { description: 'A hypothesis being created from a ChatGPT share link by a queued job.' })
export class ChatGptImportModel {
  @Field(() => ID)
  id: string;

  @Field()
  url: string;

  @Field(() => ExtractionStatus)
  extractionStatus: ExtractionStatus;

  @Field(() => String, { nullable: true, description: 'Reason code of the failure, e.g. CHATGPT_SHARE_NOT_FOUND.' })
  errorCode: string | null;

  @Field(() => String, { nullable: true })
  errorMessage: string | null;

  @Field()
  enableIdeation: boolean;

  @Field(() => Int)
  reflections: number;

  @Field()
  autoLaunch: boolean;

  @Field()
  createdBy: string;

  @Field(() => ID, { nullable: true, description: 'The created hypothesis, once COMPLETED.' })
  hypothesisId: string | null;

  @Field(() => ChatGptPageFormat, { nullable: true })
  format: ChatGptPageFormat | null;

  @Field(() => ExtractionMethod, { nullable: true })
  method: ExtractionMethod | null;

  @Field(() => Int, { nullable: true })
  messageCount: number | null;

  @Field(() => Int)
  attempts: number;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;
}

export const toChatGptExtractionModel = (extraction: ChatGptExtraction): ChatGptExtractionModel => extraction;

export const toChatGptImportModel = ({ status, ...rest }: ChatGptImport): ChatGptImportModel => ({ ...rest, extractionStatus: status });
