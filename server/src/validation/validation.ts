/** Domain types of a run's validations: the worker's automatic review and the human verdict. */

export enum ValidationKind {
  AUTO = 'AUTO',
  HUMAN = 'HUMAN',
}

export enum ValidationStatus {
  RUNNING = 'RUNNING',
  COMPLETED = 'COMPLETED',
}

export enum Verdict {
  PASS = 'PASS',
  FAIL = 'FAIL',
}

export interface RubricScore {
  name: string;
  score: number;
}

export interface Validation {
  id: string;
  runId: string;
  kind: ValidationKind;
  status: ValidationStatus;
  verdict: Verdict | null;
  scores: RubricScore[];
  /** The reviewer's notes as written. */
  notes: string | null;
  model: string | null;
  rubricVersion: string | null;
  reviewer: string | null;
  startedAt: Date | null;
  completedAt: Date | null;
  updatedAt: Date;
}

/** What one ai.validation.* event says; the newest attempt and the newest completion win. */
export type AutoValidationWrite =
  | { kind: 'started'; at: Date; model: string; rubricVersion: string | null }
  | { kind: 'completed'; at: Date; verdict: Verdict; scores: RubricScore[]; notes: string | null };

export const autoValidationId = (runId: string) => `auto:${runId}`;

/** One human validation per run: the id is unique, and so is (run, HUMAN) in both stores. */
export const humanValidationId = (runId: string) => `human:${runId}`;

/** A person's review as recorded: the verdict, the rubric scores and notes, by whom and when. */
export function newHumanValidation(fields: {
  runId: string;
  verdict: Verdict;
  scores: RubricScore[];
  notes: string | null;
  reviewer: string;
  at: Date;
}): Validation {
  return {
    id: humanValidationId(fields.runId),
    runId: fields.runId,
    kind: ValidationKind.HUMAN,
    status: ValidationStatus.COMPLETED,
    verdict: fields.verdict,
    scores: fields.scores,
    notes: fields.notes,
    model: null,
    rubricVersion: null,
    reviewer: fields.reviewer,
    startedAt: fields.at,
    completedAt: fields.at,
    updatedAt: fields.at,
  };
}

/** A run waiting for a human review, with its automatic validation when there is one. */
export interface ReviewQueueEntry {
  runId: string;
  /** The run's creation time: the queue is oldest first. */
  createdAt: Date;
  autoValidation: Validation | null;
}

/** Notes are often a JSON review (strengths, weaknesses...): structured when they parse, null otherwise. */
export function structuredReview(notes: string | null): Record<string, unknown> | null {
  if (!notes) return null;
  try {
    const parsed: unknown = JSON.parse(notes);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
