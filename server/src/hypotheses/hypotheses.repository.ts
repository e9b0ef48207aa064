import type { Page, PageRequest } from '../common/pagination/cursor.js';
import type { Hypothesis, HypothesisIdeation, IdeaJson } from './hypothesis.js';

export const HYPOTHESES_REPOSITORY = Symbol('HYPOTHESES_REPOSITORY');

export interface HypothesisFilter {
  /** true: hidden only; false: visible only; undefined: both. */
  hidden?: boolean;
}

/** Port for hypothesis storage; kept honest by test/contract/hypotheses.repository.contract.ts. */
export interface HypothesesRepository {
  insert(hypothesis: Hypothesis): Promise<Hypothesis>;
  findById(id: string): Promise<Hypothesis | null>;
  findByIds(ids: readonly string[]): Promise<Hypothesis[]>;
  list(filter: HypothesisFilter, page: PageRequest): Promise<Page<Hypothesis>>;
  count(filter: HypothesisFilter): Promise<number>;
  setHidden(id: string, hidden: boolean, at: Date): Promise<Hypothesis | null>;
  /** Records the ideation's state on the hypothesis and, when given, its resulting idea JSON; null when the id is unknown. */
  setIdeation(id: string, ideation: HypothesisIdeation, at: Date, ideaJson?: IdeaJson): Promise<Hypothesis | null>;
}
