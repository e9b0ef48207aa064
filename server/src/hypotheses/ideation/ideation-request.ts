/** Domain types of an ideation request: an LLM drafting an idea for a hypothesis and refining it in rounds. */
import type { LlmUsage } from '../../infra/llm/llm.client.js';
import { type IdeaJson, IdeationStatus } from '../hypothesis.js';

export const MIN_REFLECTIONS = 1;
export const MAX_REFLECTIONS = 10;
export const DEFAULT_REFLECTIONS = 3;

/** One model call's outcome: round 0 is the first draft, rounds 1..n are reflections. */
export interface IdeationRound {
  round: number;
  /** The model's critique of the previous version (null for the first draft). */
  critique: string | null;
  idea: IdeaJson;
  at: Date;
}

export interface IdeationRequest {
  id: string;
  hypothesisId: string;
  status: IdeationStatus;
  /** Rounds of critique-and-improve after the first draft (1 to 10). */
  reflections: number;
  /** Queue a run of the hypothesis when the ideation completes. */
  autoLaunch: boolean;
  createdBy: string;
  model: string | null;
  /** Draft and reflections so far, in order. */
  rounds: IdeationRound[];
  /** The resulting ideas in the AI-Scientist format (the final one), once COMPLETED. */
  ideas: IdeaJson[];
  attempts: number;
  usage: LlmUsage | null;
  errorCode: string | null;
  errorMessage: string | null;
  /** The run autoLaunch queued. */
  runId: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
}

/** Fields one status change or progress write sets together with the status. */
export type IdeationUpdate = Partial<
  Pick<IdeationRequest, 'model' | 'rounds' | 'ideas' | 'attempts' | 'usage' | 'errorCode' | 'errorMessage' | 'runId' | 'startedAt' | 'completedAt'>
> & { status: IdeationStatus; updatedAt: Date };

export type IdeationCounts = Record<IdeationStatus, number>;

export function newIdeationRequest(
  fields: Pick<IdeationRequest, 'id' | 'hypothesisId' | 'reflections' | 'autoLaunch' | 'createdBy' | 'createdAt'>,
): IdeationRequest {
  return {
    status: IdeationStatus.QUEUED,
    model: null,
    rounds: [],
    ideas: [],
    attempts: 0,
    usage: null,
    errorCode: null,
    errorMessage: null,
    runId: null,
    updatedAt: fields.createdAt,
    startedAt: null,
    completedAt: null,
    ...fields,
  };
}

export const emptyIdeationCounts = (): IdeationCounts => ({
  [IdeationStatus.QUEUED]: 0,
  [IdeationStatus.RUNNING]: 0,
  [IdeationStatus.COMPLETED]: 0,
  [IdeationStatus.FAILED]: 0,
});
