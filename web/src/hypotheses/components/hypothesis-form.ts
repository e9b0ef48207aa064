export interface HypothesisDraft {
  title: string;
  idea: string;
  createdBy: string;
}

export type HypothesisErrors = Partial<Record<keyof HypothesisDraft, string>>;

export const LIMITS = { title: { min: 3, max: 200 }, idea: { min: 10, max: 20_000 }, createdBy: { max: 100 } } as const;

/** The same rules as the server's CreateHypothesisInput, checked before sending. */
export function validateHypothesis(draft: HypothesisDraft): HypothesisErrors {
  const errors: HypothesisErrors = {};
  const title = draft.title.trim();
  const idea = draft.idea.trim();
  if (!title) errors.title = 'Give the hypothesis a title.';
  else if (title.length < LIMITS.title.min) errors.title = `The title needs at least ${LIMITS.title.min} characters.`;
  else if (title.length > LIMITS.title.max) errors.title = `The title can have at most ${LIMITS.title.max} characters (it has ${title.length}).`;
  if (!idea) errors.idea = 'Describe the idea to test.';
  else if (idea.length < LIMITS.idea.min) errors.idea = `The idea needs at least ${LIMITS.idea.min} characters.`;
  else if (idea.length > LIMITS.idea.max) errors.idea = `The idea can have at most ${LIMITS.idea.max.toLocaleString('en')} characters (it has ${idea.length.toLocaleString('en')}).`;
  if (draft.createdBy.trim().length > LIMITS.createdBy.max) errors.createdBy = `At most ${LIMITS.createdBy.max} characters.`;
  return errors;
}
