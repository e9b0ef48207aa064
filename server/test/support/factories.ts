import { randomUUID } from 'node:crypto';
import { Hypothesis, plainIdeaJson } from '../../src/hypotheses/hypothesis.js';
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
