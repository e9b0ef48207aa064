/** The parts of a structured review the UI shows (the worker's notes as JSON). */
export interface StructuredReview {
  summary?: string;
  strengths: string[];
  weaknesses: string[];
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

/** Strengths/weaknesses/summary of a review when it has them; null when it is not structured. */
export function structuredReview(review: unknown): StructuredReview | null {
  if (!review || typeof review !== 'object' || Array.isArray(review)) return null;
  const r = review as Record<string, unknown>;
  const result: StructuredReview = {
    summary: typeof r.summary === 'string' ? r.summary : typeof r.Summary === 'string' ? r.Summary : undefined,
    strengths: strings(r.strengths ?? r.Strengths),
    weaknesses: strings(r.weaknesses ?? r.Weaknesses),
  };
  return result.summary || result.strengths.length > 0 || result.weaknesses.length > 0 ? result : null;
}
