import { Injectable } from '@nestjs/common';
import { Env } from '../../config/env.js';
import { LlmClient, type LlmMessage, type StructuredResult } from '../../infra/llm/llm.client.js';
import { validatedAnswer } from '../../infra/llm/structured-answer.js';
import type { IdeaJson } from '../hypothesis.js';
import { IDEA_SCHEMA, IdeaAnswer, REFLECTION_SCHEMA, ReflectionAnswer } from './dto/idea.answer.js';

export interface HypothesisText {
  title: string;
  idea: string;
}

const SYSTEM =
  'You are an ambitious AI researcher proposing research ideas for the AI Scientist, a system that runs the experiments itself ' +
  'on one GPU within hours. Ideas must be novel, feasible with public datasets and modest compute, and testable by the experiments you list.';

/**
 * The seed's `generateIdeaJson`: a first draft of the idea in the AI-Scientist format from the
 * person's title and idea, then rounds in which the model critiques and improves its last version.
 */
@Injectable()
export class IdeaGenerator {
  constructor(
    private readonly llm: LlmClient,
    private readonly env: Env,
  ) {}

  get model(): string {
    return this.env.IDEATION_MODEL;
  }

  async draft(hypothesis: HypothesisText): Promise<StructuredResult<IdeaJson>> {
    return this.llm.complete({
      feature: 'ideation',
      model: this.env.IDEATION_MODEL,
      format: IDEA_SCHEMA,
      messages: [
        { role: 'system', content: SYSTEM },
        {
          role: 'user',
          content:
            `Turn this research hypothesis into a complete idea in the AI-Scientist format.\n\n` +
            `Title: ${hypothesis.title}\n\nIdea:\n${hypothesis.idea}`,
        },
      ],
      parse: (value) => toIdeaJson(validatedAnswer(IdeaAnswer, value)),
    });
  }

  async reflect(
    hypothesis: HypothesisText,
    current: IdeaJson,
    round: number,
    rounds: number,
  ): Promise<StructuredResult<{ critique: string; idea: IdeaJson }>> {
    const messages: LlmMessage[] = [
      { role: 'system', content: SYSTEM },
      {
        role: 'user',
        content:
          `Round ${round} of ${rounds} of reflection on an idea for this hypothesis.\n\nTitle: ${hypothesis.title}\n\nIdea:\n${hypothesis.idea}\n\n` +
          `Current version of the idea (JSON):\n${JSON.stringify(current, null, 2)}\n\n` +
          'Critique the current version carefully (novelty, feasibility, clarity, whether the experiments really test the hypothesis), ' +
          'then give an improved version. Keep what is good; do not change the idea\'s core unless it is flawed.',
      },
    ];
    return this.llm.complete({
      feature: 'ideation',
      model: this.env.IDEATION_MODEL,
      format: REFLECTION_SCHEMA,
      messages,
      parse: (value) => {
        const answer = validatedAnswer(ReflectionAnswer, value);
        return { critique: answer.critique, idea: toIdeaJson(answer.idea) };
      },
    });
  }
}

/** The AI-Scientist keys the worker reads. */
export function toIdeaJson(answer: IdeaAnswer): IdeaJson {
  const name = answer.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  return {
    Name: name || 'idea',
    Title: answer.title,
    'Short Hypothesis': answer.shortHypothesis,
    'Related Work': answer.relatedWork,
    Abstract: answer.abstract,
    Experiments: answer.experiments,
    'Risk Factors and Limitations': answer.riskFactorsAndLimitations,
  };
}
