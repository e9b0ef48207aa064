import type Database from 'better-sqlite3';
import { fromMs, toMs } from '../../infra/persistence/sqlite/codec.js';
import { NodeHistoryEntry, NodeStatus, RunNode, StageName } from '../run.js';
import { NodesRepository, NodeWrite } from '../nodes.repository.js';

interface NodeRow {
  run_id: string;
  node_id: string;
  stage: string;
  parent_id: string | null;
  status_rank: number;
  is_buggy: number | null;
  metric: number | null;
  exec_time_s: number | null;
  code_size_bytes: number | null;
  created_at: number | null;
  completed_at: number | null;
  updated_at: number;
}

export const NODE_STATUS_ORDER: readonly NodeStatus[] = [
  NodeStatus.CREATED,
  NodeStatus.CODE_GENERATED,
  NodeStatus.EXECUTING,
  NodeStatus.COMPLETED,
];

function nodeFromRow(row: NodeRow): RunNode {
  return {
    runId: row.run_id,
    nodeId: row.node_id,
    stage: row.stage as StageName,
    parentId: row.parent_id,
    status: NODE_STATUS_ORDER[row.status_rank],
    isBuggy: row.is_buggy === null ? null : row.is_buggy === 1,
    metric: row.metric,
    execTimeS: row.exec_time_s,
    codeSizeBytes: row.code_size_bytes,
    createdAt: fromMs(row.created_at),
    completedAt: fromMs(row.completed_at),
    updatedAt: new Date(row.updated_at),
  };
}

// The earliest completion's results win, so the outcome does not depend on arrival order.
const FROM_FIRST_COMPLETION = (column: string) =>
  `${column} = CASE WHEN excluded.completed_at IS NOT NULL AND (completed_at IS NULL OR excluded.completed_at < completed_at)
     THEN excluded.${column} ELSE ${column} END`;

export class SqliteNodesRepository implements NodesRepository {
  private readonly upsert;
  private readonly byRun;
  private readonly completedByRun;
  private readonly applyAll;

  constructor(db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO nodes (run_id, node_id, stage, parent_id, status_rank, is_buggy, metric, exec_time_s, code_size_bytes, created_at, completed_at, updated_at)
       VALUES (@runId, @nodeId, @stage, @parentId, @statusRank, @isBuggy, @metric, @execTimeS, @codeSizeBytes, @createdAt, @completedAt, @at)
       ON CONFLICT (run_id, node_id) DO UPDATE SET
         parent_id = coalesce(parent_id, excluded.parent_id),
         status_rank = max(status_rank, excluded.status_rank),
         code_size_bytes = coalesce(excluded.code_size_bytes, code_size_bytes),
         ${FROM_FIRST_COMPLETION('is_buggy')},
         ${FROM_FIRST_COMPLETION('metric')},
         ${FROM_FIRST_COMPLETION('exec_time_s')},
         created_at = CASE WHEN created_at IS NULL OR excluded.created_at < created_at THEN coalesce(excluded.created_at, created_at) ELSE created_at END,
         completed_at = CASE WHEN completed_at IS NULL OR excluded.completed_at < completed_at THEN coalesce(excluded.completed_at, completed_at) ELSE completed_at END,
         updated_at = max(updated_at, excluded.updated_at)`,
    );
    this.byRun = db.prepare<[string], NodeRow>('SELECT * FROM nodes WHERE run_id = ? ORDER BY coalesce(created_at, updated_at), node_id');
    this.completedByRun = db.prepare<[string], NodeRow>(
      'SELECT * FROM nodes WHERE run_id = ? AND completed_at IS NOT NULL ORDER BY completed_at, node_id',
    );
    this.applyAll = db.transaction((runId: string, writes: readonly NodeWrite[]) => {
      for (const w of writes) {
        this.upsert.run({
          runId,
          nodeId: w.nodeId,
          stage: w.stage,
          parentId: w.parentId ?? null,
          statusRank: NODE_STATUS_ORDER.indexOf(w.status),
          isBuggy: w.isBuggy === undefined || w.isBuggy === null ? null : w.isBuggy ? 1 : 0,
          metric: w.metric ?? null,
          execTimeS: w.execTimeS ?? null,
          codeSizeBytes: w.codeSizeBytes ?? null,
          createdAt: toMs(w.createdAt),
          completedAt: toMs(w.completedAt),
          at: w.at.getTime(),
        });
      }
    });
  }

  async listByRun(runId: string): Promise<RunNode[]> {
    return this.byRun.all(runId).map(nodeFromRow);
  }

  async history(runId: string): Promise<NodeHistoryEntry[]> {
    return this.completedByRun.all(runId).map((row, index) => ({
      nodeId: row.node_id,
      stage: row.stage as StageName,
      iteration: index + 1,
      isBuggy: row.is_buggy === 1,
      metric: row.metric,
      timestamp: new Date(row.completed_at!),
    }));
  }

  async applyWrites(runId: string, writes: readonly NodeWrite[]): Promise<void> {
    if (writes.length > 0) this.applyAll(runId, writes);
  }
}
