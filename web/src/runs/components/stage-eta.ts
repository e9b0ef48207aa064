export interface EtaInput {
  /** Seconds left in the stage as the worker estimated it at `updatedAt`. */
  etaS: number | null | undefined;
  updatedAt: string;
}

export interface Eta {
  /** Seconds left now (never negative). */
  remainingS: number;
  /** When the stage should end. */
  finishAt: Date;
  /** The estimate has run out and the stage is still going. */
  overdue: boolean;
}

/** The time left in a stage now, from the worker's latest estimate; null when there is none. */
export function stageEta(stage: EtaInput | null | undefined, now: number): Eta | null {
  if (!stage || stage.etaS === null || stage.etaS === undefined || !Number.isFinite(stage.etaS)) return null;
  const finishAt = new Date(new Date(stage.updatedAt).getTime() + stage.etaS * 1000);
  const remainingS = Math.max(0, (finishAt.getTime() - now) / 1000);
  return { remainingS, finishAt, overdue: remainingS === 0 };
}

/** 0..1 clamped, and NaN-safe. */
export function clampProgress(progress: number | null | undefined): number {
  if (progress === null || progress === undefined || !Number.isFinite(progress)) return 0;
  return Math.min(1, Math.max(0, progress));
}
