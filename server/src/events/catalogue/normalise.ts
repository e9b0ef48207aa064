import { LogLevel } from '../event.js';

const STAGE = /^\s*stage[\s_-]*([1-4])(?![0-9])/i;

/** `Stage_1`, `stage 1`, `Stage 1: Preliminary Investigation`... all mean Stage_1. */
export function normaliseStage(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const match = STAGE.exec(value);
  return match ? `Stage_${match[1]}` : value;
}

const LEVELS: Record<string, LogLevel> = {
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  warning: LogLevel.WARN,
  error: LogLevel.ERROR,
  critical: LogLevel.ERROR,
};

export function normaliseLevel(value: unknown): unknown {
  return typeof value === 'string' ? (LEVELS[value.trim().toLowerCase()] ?? value) : value;
}

/** Progress outside 0..1 is clamped, not refused; anything but a number is left for validation to refuse. */
export function clampProgress(value: unknown): unknown {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : value;
}

const lower = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : value);
// A dict of notes is kept as its JSON text: the review stays as the worker wrote it.
const jsonText = (value: unknown) => (value !== null && typeof value === 'object' ? JSON.stringify(value) : value);

/**
 * Normalisers by wire field name: each of these names means the same thing in every catalogue
 * type that has it, so they apply before the type's DTO validates the data.
 */
const BY_FIELD: Record<string, (value: unknown) => unknown> = {
  stage: normaliseStage,
  level: normaliseLevel,
  progress: clampProgress,
  verdict: lower,
  notes: jsonText,
};

export function normaliseData(data: Record<string, unknown>): Record<string, unknown> {
  const result = { ...data };
  for (const [field, normalise] of Object.entries(BY_FIELD)) if (field in result) result[field] = normalise(result[field]);
  return result;
}
