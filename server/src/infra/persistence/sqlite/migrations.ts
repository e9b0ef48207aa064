/**
 * Ordered, append-only schema changes; PRAGMA user_version records the last one applied.
 * Never edit a released migration: add the next one.
 */
export const MIGRATIONS: { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'hypotheses, runs, stages, nodes, metrics, events, run tokens, artifacts, validations',
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
        telemetry TEXT,
        paper TEXT,
        status_history TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        started_at INTEGER,
        completed_at INTEGER,
        failed_at INTEGER,
        last_heartbeat INTEGER,
        last_event_seq INTEGER NOT NULL DEFAULT 0,
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
        best_node_id TEXT,
        best_metric REAL,
        best_at INTEGER,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, name)
      ) WITHOUT ROWID;

      CREATE TABLE nodes (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        node_id TEXT NOT NULL,
        stage TEXT NOT NULL,
        parent_id TEXT,
        status_rank INTEGER NOT NULL,
        is_buggy INTEGER,
        metric REAL,
        exec_time_s REAL,
        code_size_bytes INTEGER,
        created_at INTEGER,
        completed_at INTEGER,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, node_id)
      ) WITHOUT ROWID;
      CREATE INDEX nodes_by_completion ON nodes (run_id, completed_at) WHERE completed_at IS NOT NULL;

      CREATE TABLE run_metrics (
        run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value REAL NOT NULL,
        stage TEXT,
        at INTEGER NOT NULL,
        PRIMARY KEY (run_id, name)
      ) WITHOUT ROWID;

      -- Events: the source of truth. seq is the orchestrator's position per run (1, 2, 3...).
      CREATE TABLE events (
        run_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        source TEXT NOT NULL,
        source_seq INTEGER,
        time INTEGER NOT NULL,
        received_at INTEGER NOT NULL,
        level TEXT,
        message TEXT,
        data TEXT NOT NULL,
        traceparent TEXT,
        known INTEGER NOT NULL,
        outcome TEXT,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX events_by_id ON events (id);
      CREATE INDEX events_by_run_type ON events (run_id, type, seq);
      CREATE INDEX events_by_run_level ON events (run_id, level, seq) WHERE level IS NOT NULL;

      -- Per run: the last position handed out and the last one projected into run state.
      CREATE TABLE event_positions (
        run_id TEXT PRIMARY KEY,
        last_seq INTEGER NOT NULL,
        applied_seq INTEGER NOT NULL
      );
      CREATE INDEX event_positions_pending ON event_positions (run_id) WHERE applied_seq < last_seq;

      CREATE TABLE run_tokens (
        token_hash TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX run_tokens_by_run ON run_tokens (run_id);

      CREATE TABLE artifacts (
        run_id TEXT NOT NULL,
        key TEXT NOT NULL,
        kind TEXT,
        status TEXT NOT NULL,
        bytes INTEGER,
        sha256 TEXT,
        content_type TEXT,
        error_code TEXT,
        error_message TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (run_id, key)
      ) WITHOUT ROWID;

      CREATE TABLE validations (
        id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        verdict TEXT,
        scores TEXT,
        notes TEXT,
        model TEXT,
        rubric_version TEXT,
        reviewer TEXT,
        started_at INTEGER,
        completed_at INTEGER,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX validations_by_run ON validations (run_id, kind);
    `,
  },
  {
    version: 2,
    name: 'run provisioning and writeup retries',
    sql: `
      ALTER TABLE runs ADD COLUMN provisioning TEXT;
      ALTER TABLE runs ADD COLUMN writeup TEXT;
    `,
  },
  {
    version: 3,
    name: 'one human validation per run',
    sql: `
      CREATE UNIQUE INDEX validations_one_human_per_run ON validations (run_id) WHERE kind = 'HUMAN';
    `,
  },
  {
    version: 4,
    name: 'paper analyses, ideation requests, ChatGPT imports',
    sql: `
      CREATE TABLE paper_analyses (
        id TEXT PRIMARY KEY,
        run_id TEXT NOT NULL,
        status TEXT NOT NULL,
        requested_by TEXT NOT NULL,
        current INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        paper TEXT,
        quantitative TEXT,
        qualitative TEXT,
        models TEXT,
        usage TEXT,
        error_code TEXT,
        error_message TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        started_at INTEGER,
        completed_at INTEGER,
        superseded_at INTEGER
      );
      -- One current analysis per run; replaced ones stay as history.
      CREATE UNIQUE INDEX paper_analyses_current ON paper_analyses (run_id) WHERE current = 1;
      CREATE INDEX paper_analyses_by_run ON paper_analyses (run_id, current, created_at DESC, id DESC);
      CREATE INDEX paper_analyses_by_status ON paper_analyses (status, created_at);

      CREATE TABLE ideations (
        id TEXT PRIMARY KEY,
        hypothesis_id TEXT NOT NULL,
        status TEXT NOT NULL,
        reflections INTEGER NOT NULL,
        auto_launch INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        model TEXT,
        rounds TEXT NOT NULL DEFAULT '[]',
        ideas TEXT NOT NULL DEFAULT '[]',
        attempts INTEGER NOT NULL DEFAULT 0,
        usage TEXT,
        error_code TEXT,
        error_message TEXT,
        run_id TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        started_at INTEGER,
        completed_at INTEGER
      );
      CREATE INDEX ideations_by_created ON ideations (created_at DESC, id DESC);
      CREATE INDEX ideations_by_status_created ON ideations (status, created_at DESC, id DESC);
      CREATE INDEX ideations_by_hypothesis_created ON ideations (hypothesis_id, created_at DESC, id DESC);

      CREATE TABLE chatgpt_imports (
        id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        status TEXT NOT NULL,
        enable_ideation INTEGER NOT NULL,
        reflections INTEGER NOT NULL,
        auto_launch INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        hypothesis_id TEXT,
        format TEXT,
        method TEXT,
        message_count INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        error_code TEXT,
        error_message TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        started_at INTEGER,
        completed_at INTEGER
      );
      CREATE INDEX chatgpt_imports_by_status ON chatgpt_imports (status, created_at);
    `,
  },
  {
    version: 5,
    name: 'indexes for the runs list and the overview at scale',
    sql: `
      -- The runs list shows visible runs of a status: its pages and its totalCount come from the index alone.
      CREATE INDEX runs_by_status_hidden_created ON runs (status, hidden, created_at DESC, id DESC);
      -- Overview: visible runs per hypothesis, runs finished lately, failure reasons, recent stage durations.
      CREATE INDEX runs_by_hypothesis_hidden_created ON runs (hypothesis_id, hidden, created_at);
      CREATE INDEX runs_by_finished ON runs (coalesce(completed_at, failed_at));
      CREATE INDEX runs_failed_by_error ON runs (status, error_type, failed_at, updated_at);
      CREATE INDEX stages_by_status_completed ON stages (status, completed_at);
    `,
  },
];
