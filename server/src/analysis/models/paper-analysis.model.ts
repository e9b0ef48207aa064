import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { LlmUsageModel } from '../../infra/llm/llm-usage.model.js';
import { type PaperAnalysis, PaperAnalysisStatus, SCORE_RANGES, type ScoreName } from '../paper-analysis.js';

registerEnumType(PaperAnalysisStatus, {
  name: 'PaperAnalysisStatus',
  description: 'QUEUED (again while a failed attempt will be retried), RUNNING, DONE, or FAILED with the reason.',
});

const score = (name: ScoreName) => {
  const { min, max, meaning } = SCORE_RANGES[name];
  return Field(() => Float, { description: `${meaning[0].toUpperCase()}${meaning.slice(1)}: ${min} to ${max}.` });
};

@ObjectType('PaperQuantitativeScores')
export class PaperQuantitativeScoresModel {
  @score('quality')
  quality: number;

  @score('faithfulness')
  faithfulness: number;

  @score('innovation')
  innovation: number;

  @score('efficiency')
  efficiency: number;

  @score('successRate')
  successRate: number;

  @score('reliability')
  reliability: number;

  @score('reproducibility')
  reproducibility: number;
}

@ObjectType('PaperQualitativeAssessment')
export class PaperQualitativeAssessmentModel {
  @Field()
  tradeoffs: string;

  @Field()
  hypothesisProof: string;

  @Field()
  conclusion: string;

  @Field()
  novelty: string;

  @Field()
  recommendations: string;
}

@ObjectType('PaperAnalysisModels', { description: 'The models that answered each part.' })
export class PaperAnalysisModelsModel {
  @Field()
  quantitative: string;

  @Field()
  qualitative: string;
}

@ObjectType('AnalyzedPaper', { description: 'The paper text the analysis read.' })
export class AnalyzedPaperModel {
  @Field()
  artifactKey: string;

  @Field(() => Int, { nullable: true })
  pages: number | null;

  @Field(() => Int, { description: 'Characters of text extracted from the paper.' })
  extractedChars: number;

  @Field(() => Int, { description: 'Characters sent to the model.' })
  analyzedChars: number;

  @Field({ description: 'True when the paper exceeded ANALYSIS_MAX_PAPER_CHARS and its middle was cut.' })
  truncated: boolean;
}

@ObjectType('PaperAnalysis', { description: 'An LLM analysis of a run\'s paper (the seed\'s Paper Analysis Schema).' })
export class PaperAnalysisModel {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  runId: string;

  @Field(() => PaperAnalysisStatus)
  status: PaperAnalysisStatus;

  @Field()
  requestedBy: string;

  @Field({ description: 'False once a newer analysis of the run replaced it.' })
  current: boolean;

  @Field(() => Int, { description: 'Job attempts started so far.' })
  attempts: number;

  @Field(() => AnalyzedPaperModel, { nullable: true })
  paper: AnalyzedPaperModel | null;

  @Field(() => PaperQuantitativeScoresModel, { nullable: true })
  quantitative: PaperQuantitativeScoresModel | null;

  @Field(() => PaperQualitativeAssessmentModel, { nullable: true })
  qualitative: PaperQualitativeAssessmentModel | null;

  @Field(() => PaperAnalysisModelsModel, { nullable: true })
  models: PaperAnalysisModelsModel | null;

  @Field(() => LlmUsageModel, { nullable: true })
  usage: LlmUsageModel | null;

  @Field(() => String, { nullable: true, description: 'Reason code of the last failure, e.g. LLM_MALFORMED_RESPONSE.' })
  errorCode: string | null;

  @Field(() => String, { nullable: true })
  errorMessage: string | null;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  @Field(() => Date, { nullable: true })
  startedAt: Date | null;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;

  @Field(() => Date, { nullable: true })
  supersededAt: Date | null;
}

export const toPaperAnalysisModel = (analysis: PaperAnalysis): PaperAnalysisModel => analysis;
