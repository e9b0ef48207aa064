import type { Hypothesis } from './hypothesis.js';

/** Redis pub/sub topic of hypotheses and its payload. */
export const HypothesesTopics = {
  /** A hypothesis created, hidden or shown again. */
  changed: 'hypotheses.changed',
} as const;

export interface HypothesisChangedPayload {
  hypothesis: Hypothesis;
}
