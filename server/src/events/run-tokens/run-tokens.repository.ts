export const RUN_TOKENS_REPOSITORY = Symbol('RUN_TOKENS_REPOSITORY');

/** Port for run tokens. Only a hash of each token is stored. */
export interface RunTokensRepository {
  insert(token: { tokenHash: string; runId: string; createdAt: Date }): Promise<void>;
  /** The run of a token that has not been revoked. */
  findActiveRun(tokenHash: string): Promise<string | null>;
  /** Revokes every token of the run; returns how many were active. */
  revokeAll(runId: string, at: Date): Promise<number>;
}
