import type Database from 'better-sqlite3';
import type { RunTokensRepository } from './run-tokens.repository.js';

export class SqliteRunTokensRepository implements RunTokensRepository {
  private readonly insertStatement;
  private readonly active;
  private readonly revoke;

  constructor(db: Database.Database) {
    this.insertStatement = db.prepare<[string, string, number]>('INSERT INTO run_tokens (token_hash, run_id, created_at) VALUES (?, ?, ?)');
    this.active = db.prepare<[string], { run_id: string }>('SELECT run_id FROM run_tokens WHERE token_hash = ? AND revoked_at IS NULL');
    this.revoke = db.prepare<[number, string]>('UPDATE run_tokens SET revoked_at = ? WHERE run_id = ? AND revoked_at IS NULL');
  }

  async insert(token: { tokenHash: string; runId: string; createdAt: Date }): Promise<void> {
    this.insertStatement.run(token.tokenHash, token.runId, token.createdAt.getTime());
  }

  async findActiveRun(tokenHash: string): Promise<string | null> {
    return this.active.get(tokenHash)?.run_id ?? null;
  }

  async revokeAll(runId: string, at: Date): Promise<number> {
    return this.revoke.run(at.getTime(), runId).changes;
  }
}
