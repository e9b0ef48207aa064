/**
 * Ordered, append-only schema changes; PRAGMA user_version records the last one applied.
 * Never edit a released migration: add the next one.
 */
export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'hypotheses, runs, stages',
    sql: `
      CREATE TABLE hypotheses (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        idea TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        idea_json TEXT,
        chatgpt_url TEXT,
        ideation TEXT,
        seed INTEGER NOT NULL DEFAULT 0,
        hidden INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX hypotheses_by_hidden_created ON hypotheses (hidden, created_at DESC, id DESC);

      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        hypothesis_id TEXT NOT NULL REFERENCES hypotheses (id),
        status TEXT NOT NULL,
        created_by TEXT NOT NULL,
        idempotency_key TEXT,
        pod TEXT,
        current_stage TEXT,
        stage_timing TEXT NOT NULL DEFAULT '{}',
        metrics TEXT NOT NULL DEFAULT '{}',
        node_history TEXT NOT NULL DEFAULT '[]',
        status_history TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        started_at INTEGER,
        completed_at INTEGER,
        failed_at INTEGER,
        last_heartbeat INTEGER,
        last_event_seq INTEGER,
        error_type TEXT,
        error_message TEXT,
        error_traceback TEXT,
        hidden INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX runs_by_created ON runs (created_at DESC, id DESC);
      CREATE INDEX runs_by_status_created ON runs (status, created_at DESC, id DESC);
      CREATE INDEX runs_by_hypothesis_created ON runs (hypothesis_id, created_at DESC, id DESC);
      CREATE UNIQUE INDEX runs_by_idempotency_key ON runs (hypothesis_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

      CREATE TABLE stages (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        status TEXT NOT NULL,
        progress REAL NOT NULL DEFAULT 0,
        description TEXT,
        summary TEXT,
        started_at INTEGER,
        completed_at INTEGER,
        duration_s REAL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, name)
      ) WITHOUT ROWID;
    `,
  },
];
