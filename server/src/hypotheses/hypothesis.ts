/** Domain types of a hypothesis (never a stored document or a GraphQL model). */

export enum IdeationStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}

export type IdeaJson = Record<string, unknown>;

export interface HypothesisIdeation {
  requestId: string;
  status: IdeationStatus;
  reflections: number;
  ideas: IdeaJson[];
}

export interface Hypothesis {
  id: string;
  title: string;
  idea: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  /** The idea in the AI-Scientist format the worker reads. */
  ideaJson: IdeaJson | null;
  chatGptUrl: string | null;
  ideation: HypothesisIdeation | null;
  /** Created by `npm run seed` (demo data). */
  seed: boolean;
  hidden: boolean;
}

/**
 * The idea JSON for a hypothesis written by a person, without ideation: the person's own words
 * in the AI-Scientist fields, nothing invented.
 */
export function plainIdeaJson(title: string, idea: string): IdeaJson {
  const name = title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64);
  return { Name: name || 'hypothesis', Title: title, 'Short Hypothesis': idea, Abstract: idea, Source: 'user' };
}
