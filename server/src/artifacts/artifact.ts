/** Domain types of a run's artifact record (the bytes live in object storage). */

export enum ArtifactStatus {
  REGISTERED = 'REGISTERED',
  FAILED = 'FAILED',
}

export interface Artifact {
  runId: string;
  /** Full object key, `runs/<runId>/...`. */
  key: string;
  /** plot, figure, paper, reflection, code, documentation, archive, ... */
  kind: string | null;
  status: ArtifactStatus;
  bytes: number | null;
  sha256: string | null;
  contentType: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: Date;
  /** Time of the newest event about this key. */
  updatedAt: Date;
}

/** What one event says about an artifact; the newest event about a key wins. */
export interface ArtifactWrite {
  key: string;
  at: Date;
  status: ArtifactStatus;
  kind?: string | null;
  bytes?: number | null;
  sha256?: string | null;
  contentType?: string | null;
  errorCode?: string | null;
  errorMessage?: string | null;
}
