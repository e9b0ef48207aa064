export interface HypothesisDraft {
  title: string;
  idea: string;
  createdBy: string;
  /** Refine the idea with the LLM (an ideation) before any run. */
  ideation: boolean;
  /** As typed; 1 to 10 with ideation. */
  reflections: string;
  /** With ideation: queue a run as soon as it completes. */
  autoLaunch: boolean;
}

export const EMPTY_DRAFT: HypothesisDraft = { title: '', idea: '', createdBy: '', ideation: false, reflections: '3', autoLaunch: true };

export type HypothesisErrors = Partial<Record<'title' | 'idea' | 'createdBy' | 'reflections', string>>;

export const LIMITS = { title: { min: 3, max: 200 }, idea: { min: 10, max: 20_000 }, createdBy: { max: 100 }, reflections: { min: 1, max: 10 } } as const;

const SHARE_LINK = /^https:\/\/(chatgpt\.com|chat\.openai\.com)\/share\/[A-Za-z0-9-]+\/?$/;

/** Null when the text is a ChatGPT share link (https://chatgpt.com/share/<id>), else what is wrong. */
export function shareLinkProblem(url: string): string | null {
  const trimmed = url.trim();
  if (!trimmed) return 'Paste a share link first.';
  return SHARE_LINK.test(trimmed) ? null : 'A share link looks like https://chatgpt.com/share/<id>.';
}

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
  else if (idea.length > LIMITS.idea.max)
    errors.idea = `The idea can have at most ${LIMITS.idea.max.toLocaleString('en')} characters (it has ${idea.length.toLocaleString('en')}).`;
  if (draft.createdBy.trim().length > LIMITS.createdBy.max) errors.createdBy = `At most ${LIMITS.createdBy.max} characters.`;
  if (draft.ideation) {
    const reflections = Number(draft.reflections);
    if (!Number.isInteger(reflections) || reflections < LIMITS.reflections.min || reflections > LIMITS.reflections.max) {
      errors.reflections = `A whole number from ${LIMITS.reflections.min} to ${LIMITS.reflections.max}.`;
    }
  }
  return errors;
}
