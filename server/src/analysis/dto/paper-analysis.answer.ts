import { IsNotEmpty, IsNumber, IsString, Max, MaxLength, Min } from 'class-validator';
import { SCORE_NAMES, SCORE_RANGES } from '../paper-analysis.js';

const MAX_TEXT = 10_000;

/** The model's quantitative answer, with the ranges the JSON schema states. */
export class QuantitativeAnswer {
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(SCORE_RANGES.quality.min)
  @Max(SCORE_RANGES.quality.max)
  quality: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(SCORE_RANGES.faithfulness.min)
  @Max(SCORE_RANGES.faithfulness.max)
  faithfulness: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(SCORE_RANGES.innovation.min)
  @Max(SCORE_RANGES.innovation.max)
  innovation: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(SCORE_RANGES.efficiency.min)
  @Max(SCORE_RANGES.efficiency.max)
  efficiency: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(SCORE_RANGES.successRate.min)
  @Max(SCORE_RANGES.successRate.max)
  successRate: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(SCORE_RANGES.reliability.min)
  @Max(SCORE_RANGES.reliability.max)
  reliability: number;

  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(SCORE_RANGES.reproducibility.min)
  @Max(SCORE_RANGES.reproducibility.max)
  reproducibility: number;
}

/** The model's qualitative answer. */
export class QualitativeAnswer {
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  tradeoffs: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  hypothesisProof: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  conclusion: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  novelty: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT)
  recommendations: string;
}

/** Structured-output schema of the quantitative answer: every score with its range. */
export const QUANTITATIVE_SCHEMA = {
  name: 'paper_quantitative_scores',
  description: 'Scores of a research paper; each within its stated range.',
  schema: {
    type: 'object',
    properties: Object.fromEntries(
      SCORE_NAMES.map((name) => {
        const { min, max, meaning } = SCORE_RANGES[name];
        return [name, { type: 'number', minimum: min, maximum: max, description: `${meaning}; from ${min} (worst) to ${max} (best)` }];
      }),
    ),
    required: SCORE_NAMES,
    additionalProperties: false,
  },
};

const text = (description: string) => ({ type: 'string', description });

/** Structured-output schema of the qualitative answer. */
export const QUALITATIVE_SCHEMA = {
  name: 'paper_qualitative_assessment',
  description: 'A reviewer\'s written assessment of a research paper.',
  schema: {
    type: 'object',
    properties: {
      tradeoffs: text('The trade-offs of the method: what it gains and what it costs or gives up.'),
      hypothesisProof: text('Whether and how convincingly the experiments support or refute the hypothesis.'),
      conclusion: text('The reviewer\'s overall conclusion about the paper.'),
      novelty: text('What is new compared with prior work, and what is not.'),
      recommendations: text('Concrete next steps: experiments, analyses or fixes that would strengthen the work.'),
    },
    required: ['tradeoffs', 'hypothesisProof', 'conclusion', 'novelty', 'recommendations'],
    additionalProperties: false,
  },
};
