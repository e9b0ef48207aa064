import type { ValidationFieldsFragment, Verdict } from '../../gql/graphql';

/** The rubric a reviewer scores when the automatic review named none. */
export const DEFAULT_RUBRIC = ['novelty', 'soundness', 'clarity', 'significance'];
/** Human scores use the automatic review's scale. */
export const HUMAN_SCORE_MAX = 10;
export const NOTES_MAX = 20_000;

export interface HumanReviewDraft {
  verdict: Verdict | null;
  /** Rubric item -> score as typed ('' for not scored). */
  scores: Record<string, string>;
  notes: string;
}

export type HumanReviewErrors = { verdict?: string; notes?: string; scores?: Record<string, string> };

/** The items to score: the automatic review's, so the two can be read side by side. */
export function rubricItems(auto: ValidationFieldsFragment | undefined): string[] {
  const names = auto?.scores.map((s) => s.name) ?? [];
  return names.length > 0 ? names : DEFAULT_RUBRIC;
}

export function validateHumanReview(draft: HumanReviewDraft): HumanReviewErrors {
  const errors: HumanReviewErrors = {};
  if (!draft.verdict) errors.verdict = 'Choose pass or fail.';
  for (const [name, text] of Object.entries(draft.scores)) {
    if (text.trim() === '') continue;
    const score = Number(text);
    if (!Number.isFinite(score) || score < 0 || score > HUMAN_SCORE_MAX) {
      errors.scores = { ...errors.scores, [name]: `A number from 0 to ${HUMAN_SCORE_MAX}.` };
    }
  }
  if (draft.notes.length > NOTES_MAX) errors.notes = `At most ${NOTES_MAX.toLocaleString('en')} characters.`;
  return errors;
}

export const hasErrors = (errors: HumanReviewErrors) => !!(errors.verdict || errors.notes || (errors.scores && Object.keys(errors.scores).length > 0));

/** The mutation's rubric: the scored items only. */
export function rubricOf(draft: HumanReviewDraft): { name: string; score: number }[] {
  return Object.entries(draft.scores)
    .filter(([, text]) => text.trim() !== '')
    .map(([name, text]) => ({ name, score: Number(text) }));
}

/** The scale a validation's scores are on: automatic reviews score out of 10; human ones as given. */
export function scoreMax(validation: Pick<ValidationFieldsFragment, 'kind' | 'scores'>): number {
  if (validation.kind === 'AUTO') return 10;
  return validation.scores.every((s) => s.score <= HUMAN_SCORE_MAX) ? HUMAN_SCORE_MAX : 100;
}
