import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { DEFAULT_REFLECTIONS, MAX_REFLECTIONS, MIN_REFLECTIONS } from '../../ideation/ideation-request.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

@ArgsType()
export class ExtractFromChatGptArgs {
  @Field({ description: 'A share link: https://chatgpt.com/share/<id> or https://chat.openai.com/share/<id>.' })
  @Transform(trim)
  @IsString()
  @MaxLength(2048)
  url: string;
}

@InputType()
export class ImportHypothesisFromChatGptInput {
  @Field({ description: 'A share link: https://chatgpt.com/share/<id> or https://chat.openai.com/share/<id>.' })
  @Transform(trim)
  @IsString()
  @MaxLength(2048)
  url: string;

  @Field({ defaultValue: false, description: 'Refine the idea with the LLM before any run (needs OPENAI_API_KEY).' })
  @IsBoolean()
  enableIdeation: boolean = false;

  @Field(() => Int, { defaultValue: DEFAULT_REFLECTIONS, description: 'Reflection rounds of the ideation, 1 to 10.' })
  @IsInt()
  @Min(MIN_REFLECTIONS)
  @Max(MAX_REFLECTIONS)
  reflections: number = DEFAULT_REFLECTIONS;

  @Field({ defaultValue: false, description: 'With ideation: queue a run as soon as it completes.' })
  @IsBoolean()
  autoLaunch: boolean = false;

  @Field(() => String, { nullable: true, description: 'Recorded as the author when the API has no tokens.' })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  createdBy?: string | null;
}

@ArgsType()
export class ChatGptImportIdArgs {
  @Field(() => ID)
  @IsUUID()
  id: string;
}
