import { Injectable } from '@nestjs/common';
import { Env } from '../config/env.js';
import { addUsage, LlmClient, type LlmMessage, type LlmUsage } from '../infra/llm/llm.client.js';
import { validatedAnswer } from '../infra/llm/structured-answer.js';
import { QUALITATIVE_SCHEMA, QualitativeAnswer, QUANTITATIVE_SCHEMA, QuantitativeAnswer } from './dto/paper-analysis.answer.js';
import { type QualitativeAssessment, type QuantitativeScores, SCORE_NAMES } from './paper-analysis.js';

export interface AnalysisInput {
  hypothesis: { title: string; idea: string };
  /** The paper's text as it will be sent (already fitted to the budget). */
  paperText: string;
  truncated: boolean;
  omittedChars: number;
}

export interface AnalysisOutput {
  quantitative: QuantitativeScores;
  qualitative: QualitativeAssessment;
  models: { quantitative: string; qualitative: string };
  usage: LlmUsage;
}

/** The seed's `generatePaperAnalysis`: one structured call for the scores, one for the written assessment. */
@Injectable()
export class PaperAnalyzer {
  constructor(
    private readonly llm: LlmClient,
    private readonly env: Env,
  ) {}

  async analyze(input: AnalysisInput): Promise<AnalysisOutput> {
    const paper = paperMessage(input);
    const scores = await this.llm.complete({
      feature: 'paper analysis',
      model: this.env.ANALYSIS_QUANTITATIVE_MODEL,
      format: QUANTITATIVE_SCHEMA,
      messages: [
        {
          role: 'system',
          content:
            'You are an experienced, strict reviewer of machine-learning research papers. Score the paper on each criterion ' +
            'within the range the schema states for it (most criteria 0 to 10; successRate is a fraction from 0 to 1). ' +
            'Judge only from the paper text; a weak or unsupported paper gets low scores.',
        },
        paper,
      ],
      parse: (value) => pickScores(validatedAnswer(QuantitativeAnswer, value)),
    });
    const assessment = await this.llm.complete({
      feature: 'paper analysis',
      model: this.env.ANALYSIS_QUALITATIVE_MODEL,
      format: QUALITATIVE_SCHEMA,
      messages: [
        {
          role: 'system',
          content:
            'You are an experienced reviewer of machine-learning research papers. Write a concise, specific assessment of the ' +
            'paper in the fields the schema asks for, citing what the paper reports. Do not invent results it does not state.',
        },
        paper,
      ],
      parse: (value) => {
        const { tradeoffs, hypothesisProof, conclusion, novelty, recommendations } = validatedAnswer(QualitativeAnswer, value);
        return { tradeoffs, hypothesisProof, conclusion, novelty, recommendations };
      },
    });
    return {
      quantitative: scores.value,
      qualitative: assessment.value,
      models: { quantitative: scores.model, qualitative: assessment.model },
      usage: addUsage(scores.usage, assessment.usage),
    };
  }
}

function paperMessage(input: AnalysisInput): LlmMessage {
  const cut = input.truncated
    ? `The paper was too long to send whole: ${input.omittedChars} characters from its middle were omitted (marked in the text).\n`
    : '';
  return {
    role: 'user',
    content:
      `Hypothesis the run set out to test:\nTitle: ${input.hypothesis.title}\n${input.hypothesis.idea}\n\n` +
      `${cut}Paper text:\n"""\n${input.paperText}\n"""`,
  };
}

function pickScores(answer: QuantitativeAnswer): QuantitativeScores {
  return Object.fromEntries(SCORE_NAMES.map((name) => [name, answer[name]])) as unknown as QuantitativeScores;
}
