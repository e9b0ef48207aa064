import { Global, Module } from '@nestjs/common';
import { LlmClient } from './llm.client.js';

/** The LLM client every feature uses; configured from OPENAI_API_KEY / OPENAI_BASE_URL. */
@Global()
@Module({ providers: [LlmClient], exports: [LlmClient] })
export class LlmModule {}
