import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsNotEmpty, IsObject, IsString, MaxLength, ValidateNested } from 'class-validator';

/** An idea as the model writes it (camelCase keys; mapped to the AI-Scientist keys afterwards). */
export class IdeaAnswer {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(5_000)
  shortHypothesis: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  abstract: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(5_000, { each: true })
  experiments: string[];

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(30)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(5_000, { each: true })
  riskFactorsAndLimitations: string[];

  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  relatedWork: string;
}

/** One reflection round: the critique of the current version and the improved idea. */
export class ReflectionAnswer {
  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  critique: string;

  @IsObject()
  @ValidateNested()
  @Type(() => IdeaAnswer)
  idea: IdeaAnswer;
}

const text = (description: string) => ({ type: 'string', description });
const list = (description: string) => ({ type: 'array', minItems: 1, items: { type: 'string' }, description });

const IDEA_OBJECT = {
  type: 'object',
  properties: {
    name: text('Short snake_case identifier of the idea, e.g. curriculum_label_smoothing.'),
    title: text('Title of the paper the idea would become.'),
    shortHypothesis: text('The hypothesis in two or three sentences: what is claimed and why it matters.'),
    abstract: text('Abstract of the planned paper, as in a conference submission.'),
    experiments: list('Concrete experiments that test the hypothesis: setup, datasets, baselines and metrics.'),
    riskFactorsAndLimitations: list('What could make the idea fail or limit its conclusions.'),
    relatedWork: text('How the idea relates to and differs from existing work.'),
  },
  required: ['name', 'title', 'shortHypothesis', 'abstract', 'experiments', 'riskFactorsAndLimitations', 'relatedWork'],
  additionalProperties: false,
};

export const IDEA_SCHEMA = { name: 'ai_scientist_idea', description: 'A research idea in the AI-Scientist format.', schema: IDEA_OBJECT };

export const REFLECTION_SCHEMA = {
  name: 'ai_scientist_reflection',
  description: 'A critique of a research idea and its improved version.',
  schema: {
    type: 'object',
    properties: {
      critique: text('A candid critique of the current version: novelty, feasibility, clarity, soundness of the experiments.'),
      idea: IDEA_OBJECT,
    },
    required: ['critique', 'idea'],
    additionalProperties: false,
  },
};
