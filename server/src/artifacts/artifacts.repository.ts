import type { Artifact, ArtifactWrite } from './artifact.js';

export const ARTIFACTS_REPOSITORY = Symbol('ARTIFACTS_REPOSITORY');

/** Port for artifact records: one per (run, key); the newest event about a key wins, the first sighting is kept as createdAt. */
export interface ArtifactsRepository {
  listByRun(runId: string, kinds?: readonly string[]): Promise<Artifact[]>;
  find(runId: string, key: string): Promise<Artifact | null>;
  applyWrites(runId: string, writes: readonly ArtifactWrite[]): Promise<void>;
  /** Removes every record of the run; returns how many there were. */
  deleteByRun(runId: string): Promise<number>;
}
