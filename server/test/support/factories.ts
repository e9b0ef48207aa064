import { randomUUID } from 'node:crypto';
import { newPaperAnalysis, type PaperAnalysis } from '../../src/analysis/paper-analysis.js';
import { newChatGptImport, type ChatGptImport } from '../../src/hypotheses/chatgpt/chatgpt-import.js';
import { Hypothesis, plainIdeaJson } from '../../src/hypotheses/hypothesis.js';
import { type IdeationRequest, newIdeationRequest } from '../../src/hypotheses/ideation/ideation-request.js';
import { newRun, Run } from '../../src/runs/run.js';

/** Plain domain objects from defaults plus overrides. */
export function aHypothesis(overrides: Partial<Hypothesis> = {}): Hypothesis {
  const createdAt = overrides.createdAt ?? new Date();
  const title = overrides.title ?? 'Sparse attention helps small models';
  const idea = overrides.idea ?? 'Replacing dense attention with a learned sparse pattern keeps accuracy at lower cost.';
  return {
    id: randomUUID(),
    title,
    idea,
    createdBy: 'tester',
    createdAt,
    updatedAt: createdAt,
    ideaJson: plainIdeaJson(title, idea),
    chatGptUrl: null,
    ideation: null,
    seed: false,
    hidden: false,
    ...overrides,
  };
}

export function aRun(overrides: Partial<Run> & Pick<Run, 'hypothesisId'>): Run {
  return {
    ...newRun({ id: randomUUID(), hypothesisId: overrides.hypothesisId, createdBy: 'tester', createdAt: overrides.createdAt ?? new Date() }),
    ...overrides,
  };
}

/** `count` dates one millisecond apart, oldest first, so orderings are unambiguous. */
export function datesFrom(start: Date, count: number): Date[] {
  return Array.from({ length: count }, (_, i) => new Date(start.getTime() + i));
}

export function aPaperAnalysis(overrides: Partial<PaperAnalysis> & Pick<PaperAnalysis, 'runId'>): PaperAnalysis {
  return {
    ...newPaperAnalysis({ id: randomUUID(), runId: overrides.runId, requestedBy: 'tester', createdAt: overrides.createdAt ?? new Date() }),
    ...overrides,
  };
}

export function anIdeation(overrides: Partial<IdeationRequest> & Pick<IdeationRequest, 'hypothesisId'>): IdeationRequest {
  return {
    ...newIdeationRequest({
      id: randomUUID(),
      hypothesisId: overrides.hypothesisId,
      reflections: 3,
      autoLaunch: false,
      createdBy: 'tester',
      createdAt: overrides.createdAt ?? new Date(),
    }),
    ...overrides,
  };
}

export function aChatGptImport(overrides: Partial<ChatGptImport> = {}): ChatGptImport {
  return {
    ...newChatGptImport({
      id: randomUUID(),
      url: 'https://chatgpt.com/share/6830a1b2-0c44-8000-9a4c-52c7d1e0f1ab',
      enableIdeation: false,
      reflections: 0,
      autoLaunch: false,
      createdBy: 'tester',
      createdAt: overrides.createdAt ?? new Date(),
    }),
    ...overrides,
  };
}
