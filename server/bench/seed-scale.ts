import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from '../src/infra/persistence/sqlite/migrations.js';
import { openSqlite } from '../src/infra/persistence/sqlite/open-sqlite.js';
import { isMain, now, ROOT } from './harness.js';

// A store at scale for the query benchmark, written straight into the SQLite file: the server's
// own migrations make the schema, rows go in through prepared statements in large transactions
// with the events table's secondary indexes built once at the end. The result is cached under
// bench/.cache/ keyed by the schema and these sizes, so a second `npm run bench` does not seed again.

export interface ScaleSizes {
  runs: number;
  hypotheses: number;
  events: number;
  /** Runs that hold a large share of the events (the ones a person opens, with long logs). */
  bigRuns: number;
  eventsPerBigRun: number;
}

export interface ScaleStore {
  dataDir: string;
  sizes: ScaleSizes;
  /** The biggest run (its id), and a status to filter the runs list by. */
  bigRunId: string;
  /** A phrase found in some of the big run's log lines. */
  searchPhrase: string;
  seededNow: boolean;
  seedSeconds: number;
}

/** Bump when the generated data changes shape: cached stores from before are seeded again. */
const SEEDER_VERSION = 4;
const DAY = 24 * 3600 * 1000;
export const SEARCH_PHRASE = 'CUDA out of memory';

const STATUSES: [string, number][] = [
  ['COMPLETED', 0.35],
  ['HUMAN_VALIDATED', 0.25],
  ['FAILED', 0.2],
  ['CANCELED', 0.15],
  ['AWAITING_HUMAN', 0.05],
];
const ERROR_TYPES = ['WORKER_EXITED', 'HEARTBEAT_TIMEOUT', 'OutOfMemoryError', 'PROVISIONING_FAILED', 'RuntimeError', 'ValueError'];

/** Deterministic pseudo-random numbers (mulberry32): the same seed gives the same store. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A UUID v4 shape from an index, so ids are stable and valid for the API's IsUUID checks. */
function uuid(kind: number, index: number): string {
  const hex = index.toString(16).padStart(12, '0');
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${hex}`;
}

function pick<T>(rand: () => number, table: [T, number][]): T {
  let roll = rand();
  for (const [value, weight] of table) {
    roll -= weight;
    if (roll <= 0) return value;
  }
  return table[table.length - 1][0];
}

const hash = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);

/** `<schema and seeder>-<sizes>`: a new migration or seeder version makes every cached store stale. */
export function cacheKey(sizes: ScaleSizes): { schema: string; key: string } {
  const schema = hash({ migrations: MIGRATIONS, version: SEEDER_VERSION });
  // The data ends at the day it was seeded; a week later "the last 24 hours" would be empty: seed again.
  return { schema, key: `${schema}-${hash({ sizes, week: Math.floor(Date.now() / (7 * DAY)) })}` };
}

/** The cached store for these sizes, seeding it first if there is none. */
export function scaleStore(sizes: ScaleSizes, log: (message: string) => void = console.log): ScaleStore {
  const cacheRoot = join(ROOT, 'bench/.cache');
  const { schema, key } = cacheKey(sizes);
  const dataDir = join(cacheRoot, `scale-${key}`);
  const file = join(dataDir, 'orchestrator.sqlite');
  const meta = { sizes, bigRunId: uuid(2, 0), searchPhrase: SEARCH_PHRASE };
  if (existsSync(file)) return { dataDir, ...meta, seededNow: false, seedSeconds: 0 };

  mkdirSync(cacheRoot, { recursive: true });
  // Stores made for an older schema or seeder are of no use any more, and they take GBs.
  for (const entry of readdirSync(cacheRoot)) {
    if (entry.startsWith('scale-') && (!entry.startsWith(`scale-${schema}-`) || entry.endsWith('.partial'))) rmSync(join(cacheRoot, entry), { recursive: true, force: true });
  }
  const partial = `${dataDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  log(`seeding ${sizes.runs} runs, ${sizes.hypotheses} hypotheses, ${sizes.events} events into ${partial} (cached afterwards)`);
  const started = now();
  seed(join(partial, 'orchestrator.sqlite'), sizes, log);
  renameSync(partial, dataDir);
  const seedSeconds = (now() - started) / 1000;
  log(`seeded in ${seedSeconds.toFixed(1)} s`);
  return { dataDir, ...meta, seededNow: true, seedSeconds };
}

function seed(file: string, sizes: ScaleSizes, log: (message: string) => void): void {
  const db = openSqlite(file);
  // Nothing here needs to survive a crash: a half-written store is thrown away (it never leaves .partial).
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -262144');
  const rand = random(42);
  const end = Math.floor(Date.now() / DAY) * DAY;
  const start = end - 365 * DAY;

  const hypotheses = db.prepare('INSERT INTO hypotheses (id, title, idea, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let h = 0; h < sizes.hypotheses; h++) {
      const at = start + Math.floor((h / sizes.hypotheses) * 30 * DAY);
      hypotheses.run(uuid(1, h), `Hypothesis ${h}: sparse attention variant ${h % 17}`, `Idea ${h}: a learned sparsity pattern keeps accuracy at lower cost.`, 'bench', at, at);
    }
  })();

  // Runs: created evenly over a year, oldest first; the big runs are the newest (the ones people open).
  const runRows = db.prepare(
    `INSERT INTO runs (id, hypothesis_id, status, created_by, current_stage, telemetry, status_history, created_at, updated_at,
       started_at, completed_at, failed_at, last_heartbeat, last_event_seq, error_type, error_message, hidden)
     VALUES (@id, @hypothesisId, @status, 'bench', @currentStage, @telemetry, @history, @createdAt, @updatedAt,
       @startedAt, @completedAt, @failedAt, @lastHeartbeat, @lastEventSeq, @errorType, @errorMessage, @hidden)`,
  );
  const stageRows = db.prepare(
    `INSERT INTO stages (run_id, name, status, progress, started_at, completed_at, duration_s, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const validationRows = db.prepare(
    `INSERT INTO validations (id, run_id, kind, status, verdict, model, reviewer, started_at, completed_at, updated_at)
     VALUES (?, ?, ?, 'COMPLETED', ?, ?, ?, ?, ?, ?)`,
  );
  const positionRows = db.prepare('INSERT INTO event_positions (run_id, last_seq, applied_seq) VALUES (?, ?, ?)');

  const smallRuns = sizes.runs - sizes.bigRuns;
  const smallEvents = sizes.events - sizes.bigRuns * sizes.eventsPerBigRun;
  const eventsOf = (r: number) => (r >= smallRuns ? sizes.eventsPerBigRun : Math.floor(((r + 1) * smallEvents) / smallRuns) - Math.floor((r * smallEvents) / smallRuns));
  // Run index r: the big runs take the last indexes; uuid(2, 0) is the biggest (newest) one.
  const runId = (r: number) => (r >= smallRuns ? uuid(2, sizes.runs - 1 - r) : uuid(3, r));

  let t = now();
  db.transaction(() => {
    for (let r = 0; r < sizes.runs; r++) {
      const createdAt = start + Math.floor((r / sizes.runs) * 365 * DAY);
      const big = r >= smallRuns;
      const status = big ? 'COMPLETED' : pick(rand, STATUSES);
      const startedAt = createdAt + 60_000;
      const duration = Math.floor((2 + rand() * 10) * 3600 * 1000);
      const finishedAt = startedAt + duration;
      const failed = status === 'FAILED';
      const canceled = status === 'CANCELED';
      const stagesDone = failed ? 1 + Math.floor(rand() * 3) : canceled ? Math.floor(rand() * 4) : 4;
      const history = [
        { from: 'QUEUED', to: 'SCHEDULED', at: new Date(createdAt + 1000).toISOString(), by: 'orchestrator', reason: null },
        { from: 'SCHEDULED', to: 'STARTING', at: new Date(createdAt + 2000).toISOString(), by: 'orchestrator', reason: null },
        { from: 'STARTING', to: 'RUNNING', at: new Date(startedAt).toISOString(), by: 'worker', reason: null },
        { from: 'RUNNING', to: status, at: new Date(finishedAt).toISOString(), by: 'worker', reason: failed ? 'worker failed' : null },
      ];
      const events = eventsOf(r);
      const id = runId(r);
      runRows.run({
        id,
        hypothesisId: uuid(1, Math.floor(rand() * sizes.hypotheses)),
        status,
        currentStage: JSON.stringify({ name: `Stage_${Math.max(1, stagesDone)}`, progress: 1, iteration: 20, maxIterations: 20, goodNodes: 12, totalNodes: 20, updatedAt: new Date(finishedAt).toISOString() }),
        telemetry: JSON.stringify({ gpuUtil: 80, memGb: 20, tempC: 65, at: new Date(finishedAt).toISOString() }),
        history: JSON.stringify(history),
        createdAt,
        updatedAt: finishedAt,
        startedAt,
        completedAt: failed || canceled ? null : finishedAt,
        failedAt: failed ? finishedAt : null,
        lastHeartbeat: finishedAt,
        lastEventSeq: events,
        errorType: failed ? ERROR_TYPES[Math.floor(rand() * ERROR_TYPES.length)] : null,
        errorMessage: failed ? 'the worker exited with code 1' : null,
        hidden: !big && rand() < 0.02 ? 1 : 0,
      });
      for (let s = 1; s <= Math.min(4, stagesDone + (failed ? 1 : 0)); s++) {
        const stageStart = startedAt + ((s - 1) * duration) / 4;
        const done = s <= stagesDone;
        stageRows.run(id, `Stage_${s}`, done ? 'COMPLETED' : 'FAILED', done ? 1 : 0.4, stageStart, done ? stageStart + duration / 4 : finishedAt, done ? duration / 4000 : null, finishedAt);
      }
      if (status === 'COMPLETED' || status === 'AWAITING_HUMAN' || status === 'HUMAN_VALIDATED') {
        validationRows.run(`auto:${id}`, id, 'AUTO', 'PASS', 'gpt-4o', null, finishedAt - 600_000, finishedAt, finishedAt);
      }
      if (status === 'HUMAN_VALIDATED') validationRows.run(`human:${id}`, id, 'HUMAN', rand() < 0.7 ? 'PASS' : 'FAIL', null, 'reviewer', finishedAt + DAY, finishedAt + DAY, finishedAt + DAY);
      positionRows.run(id, events, events);
    }
  })();
  log(`  runs, stages, validations: ${((now() - t) / 1000).toFixed(1)} s`);

  t = now();
  seedEvents(db, sizes, runId, eventsOf, start, log);
  log(`  events: ${((now() - t) / 1000).toFixed(1)} s`);

  t = now();
  seedBigRunDetail(db, uuid(2, 0), end);
  db.pragma('journal_mode = WAL');
  db.close();
  log(`  detail rows: ${((now() - t) / 1000).toFixed(1)} s`);
}

/** The events of every run in (run_id, seq) order, with the table's secondary indexes built afterwards. */
function seedEvents(
  db: Database.Database,
  sizes: ScaleSizes,
  runId: (r: number) => string,
  eventsOf: (r: number) => number,
  start: number,
  log: (message: string) => void,
): void {
  const indexes = db.prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL").all();
  for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
  const insert = db.prepare(
    `INSERT INTO events (run_id, seq, id, type, source, source_seq, time, received_at, level, message, data, known)
     VALUES (?, ?, ?, ?, 'worker://bench/seed', ?, ?, ?, ?, ?, ?, 1)`,
  );
  const TRANSACTION = 200_000;
  let inTransaction = 0;
  let written = 0;
  db.exec('BEGIN');
  // Runs in id order keep the primary key's b-tree appending instead of splitting pages.
  const order = Array.from({ length: sizes.runs }, (_, r) => r).sort((a, b) => (runId(a) < runId(b) ? -1 : 1));
  const report = Math.max(1, Math.floor(sizes.events / 5));
  for (const r of order) {
    const id = runId(r);
    const count = eventsOf(r);
    const runStart = start + Math.floor((r / sizes.runs) * 365 * DAY) + 60_000;
    const prefix = `e${r.toString(36)}-`;
    for (let seq = 1; seq <= count; seq++) {
      const time = runStart + seq * 250;
      const roll = seq % 10;
      let type: string;
      let level: string | null = null;
      let message: string | null = null;
      let data: string;
      if (roll < 7) {
        type = 'ai.run.log';
        level = seq % 97 === 0 ? 'warn' : seq % 389 === 0 ? 'error' : 'info';
        message = seq % 1009 === 0 ? `${SEARCH_PHRASE}: tried to allocate 2.00 GiB at step ${seq}` : `step ${seq}: loss=${(1 / seq).toFixed(5)} lr=3e-4 tokens/s=${1000 + (seq % 500)}`;
        data = `{"run_id":"${id}","level":"${level}","message":"${message}","kv":{"step":${seq}}}`;
      } else if (roll === 7) {
        type = 'ai.run.stage_progress';
        data = `{"run_id":"${id}","stage":"Stage_1","progress":${((seq % 1000) / 1000).toFixed(3)},"iteration":${seq % 20},"max_iterations":20,"good_nodes":${seq % 7},"total_nodes":${seq % 9}}`;
      } else if (roll === 8) {
        type = 'ai.run.stage_metric';
        data = `{"run_id":"${id}","stage":"Stage_1","name":"val_loss","value":${(1 / seq).toFixed(6)}}`;
      } else {
        type = 'ai.run.heartbeat';
        data = `{"run_id":"${id}","gpu_util":${60 + (seq % 40)},"mem_gb":20.5,"temp_c":65}`;
      }
      insert.run(id, seq, prefix + seq, type, seq, time, time + 5, level, message, data);
      if (++inTransaction === TRANSACTION) {
        db.exec('COMMIT');
        db.exec('BEGIN');
        inTransaction = 0;
      }
      if (++written % report === 0) log(`  ${written} events`);
    }
  }
  db.exec('COMMIT');
  for (const index of indexes) db.exec(index.sql);
}

/** What the run detail page shows besides the run row: nodes, metrics, artifacts of the biggest run. */
function seedBigRunDetail(db: Database.Database, runId: string, end: number): void {
  db.transaction(() => {
    const node = db.prepare(
      `INSERT INTO nodes (run_id, node_id, stage, parent_id, status_rank, is_buggy, metric, exec_time_s, code_size_bytes, created_at, completed_at, updated_at)
       VALUES (?, ?, ?, ?, 3, ?, ?, 12.5, 2048, ?, ?, ?)`,
    );
    for (let n = 0; n < 80; n++) {
      node.run(runId, `node-${n}`, `Stage_${1 + (n % 4)}`, n === 0 ? null : `node-${Math.floor((n - 1) / 3)}`, n % 5 === 0 ? 1 : 0, 0.5 + n / 200, end - (80 - n) * 60_000, end - (79 - n) * 60_000, end);
    }
    const metric = db.prepare('INSERT INTO run_metrics (run_id, name, value, stage, at) VALUES (?, ?, ?, ?, ?)');
    for (let m = 0; m < 12; m++) metric.run(runId, `metric_${m}`, m / 10, 'Stage_1', end);
    const artifact = db.prepare(
      `INSERT INTO artifacts (run_id, key, kind, status, bytes, sha256, content_type, created_at, updated_at)
       VALUES (?, ?, ?, 'REGISTERED', 1024, ?, ?, ?, ?)`,
    );
    for (let a = 0; a < 20; a++) artifact.run(runId, `runs/${runId}/plots/plot-${a}.png`, 'plot', 'ab'.repeat(32), 'image/png', end, end);
  })();
}

if (isMain(import.meta.url)) {
  const full = process.env.BENCH_SCALE === 'full';
  const store = scaleStore(
    full
      ? { runs: 100_000, hypotheses: 1_000, events: 5_000_000, bigRuns: 10, eventsPerBigRun: 200_000 }
      : { runs: 10_000, hypotheses: 100, events: 500_000, bigRuns: 5, eventsPerBigRun: 50_000 },
  );
  console.log(store);
}
