import { IsString, Length } from 'class-validator';

/** The model's reading of a transcript, within the limits of a hypothesis' title and idea. */
export class ChatGptHypothesisAnswer {
  @IsString()
  @Length(3, 200)
  title: string;

  @IsString()
  @Length(10, 20_000)
  idea: string;
}

export const CHATGPT_HYPOTHESIS_SCHEMA = {
  name: 'chatgpt_hypothesis',
  description: 'The research hypothesis a conversation arrived at.',
  schema: {
    type: 'object',
    properties: {
      title: { type: 'string', description: 'A short title for the hypothesis (3 to 200 characters).' },
      idea: {
        type: 'string',
        description: 'The hypothesis and the idea behind it as the conversation developed it, self-contained, in the user\'s terms (10 to 20000 characters).',
      },
    },
    required: ['title', 'idea'],
    additionalProperties: false,
  },
};
