import type Database from 'better-sqlite3';
import { placeholders } from '../../infra/persistence/sqlite/codec.js';
import { Artifact, ArtifactStatus, ArtifactWrite } from '../artifact.js';
import { ArtifactsRepository } from '../artifacts.repository.js';

interface ArtifactRow {
  run_id: string;
  key: string;
  kind: string | null;
  status: string;
  bytes: number | null;
  sha256: string | null;
  content_type: string | null;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
}

function fromRow(row: ArtifactRow): Artifact {
  return {
    runId: row.run_id,
    key: row.key,
    kind: row.kind,
    status: row.status as ArtifactStatus,
    bytes: row.bytes,
    sha256: row.sha256,
    contentType: row.content_type,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

const NEWER = 'excluded.updated_at >= artifacts.updated_at';
// A failure report keeps what an earlier registration said about the object (kind, size, hash).
const KEEP_IF_UNSET = ['kind', 'bytes', 'sha256', 'content_type'].map((c) => `${c} = CASE WHEN ${NEWER} THEN coalesce(excluded.${c}, ${c}) ELSE ${c} END`);

export class SqliteArtifactsRepository implements ArtifactsRepository {
  private readonly upsert;
  private readonly one;
  private readonly applyAll;

  constructor(private readonly db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO artifacts (run_id, key, kind, status, bytes, sha256, content_type, error_code, error_message, created_at, updated_at)
       VALUES (@runId, @key, @kind, @status, @bytes, @sha256, @contentType, @errorCode, @errorMessage, @at, @at)
       ON CONFLICT (run_id, key) DO UPDATE SET
         ${KEEP_IF_UNSET.join(',\n         ')},
         status = CASE WHEN ${NEWER} THEN excluded.status ELSE status END,
         error_code = CASE WHEN ${NEWER} THEN excluded.error_code ELSE error_code END,
         error_message = CASE WHEN ${NEWER} THEN excluded.error_message ELSE error_message END,
         created_at = min(created_at, excluded.created_at),
         updated_at = max(updated_at, excluded.updated_at)`,
    );
    this.one = db.prepare<[string, string], ArtifactRow>('SELECT * FROM artifacts WHERE run_id = ? AND key = ?');
    this.applyAll = db.transaction((runId: string, writes: readonly ArtifactWrite[]) => {
      for (const w of writes) {
        this.upsert.run({
          runId,
          key: w.key,
          kind: w.kind ?? null,
          status: w.status,
          bytes: w.bytes ?? null,
          sha256: w.sha256 ?? null,
          contentType: w.contentType ?? null,
          errorCode: w.errorCode ?? null,
          errorMessage: w.errorMessage ?? null,
          at: w.at.getTime(),
        });
      }
    });
  }

  async listByRun(runId: string, kinds?: readonly string[]): Promise<Artifact[]> {
    const byKind = kinds && kinds.length > 0 ? ` AND kind IN (${placeholders(kinds.length)})` : '';
    return this.db
      .prepare<unknown[], ArtifactRow>(`SELECT * FROM artifacts WHERE run_id = ?${byKind} ORDER BY created_at, key`)
      .all(runId, ...(kinds ?? []))
      .map(fromRow);
  }

  async find(runId: string, key: string): Promise<Artifact | null> {
    const row = this.one.get(runId, key);
    return row ? fromRow(row) : null;
  }

  async applyWrites(runId: string, writes: readonly ArtifactWrite[]): Promise<void> {
    if (writes.length > 0) this.applyAll(runId, writes);
  }

  async deleteByRun(runId: string): Promise<number> {
    return this.db.prepare('DELETE FROM artifacts WHERE run_id = ?').run(runId).changes;
  }
}
