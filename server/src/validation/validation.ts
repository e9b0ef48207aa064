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
