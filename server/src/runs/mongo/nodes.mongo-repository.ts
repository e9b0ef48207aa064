import type { Connection, Model, mongo } from 'mongoose';
import { bulkWriteIdempotent } from '../../infra/persistence/mongo/bulk-write.js';
import { modelOf } from '../../infra/persistence/mongo/model.js';
import { NodeHistoryEntry, RunNode } from '../run.js';
import { NodesRepository, NodeWrite } from '../nodes.repository.js';
import { NODE_STATUS_ORDER } from '../sqlite/nodes.sqlite-repository.js';
import { NodeDocument, nodeFromDocument, NodeSchema } from './node.schema.js';

const literal = (value: unknown) => ({ $literal: value ?? null });

function pipelineSet(runId: string, w: NodeWrite): Record<string, unknown> {
  const completedAt = w.completedAt ?? null;
  // The earliest completion's results win, as in the SQLite adapter.
  const firstCompletion = {
    $and: [{ $ne: [literal(completedAt), null] }, { $or: [{ $eq: [{ $ifNull: ['$completedAt', null] }, null] }, { $lt: [literal(completedAt), '$completedAt'] }] }],
  };
  const fromFirst = (field: string, value: unknown) => ({ $cond: [firstCompletion, literal(value), { $ifNull: [`$${field}`, null] }] });
  const earliest = (field: string, value: Date | null | undefined) =>
    value ? { $min: [{ $ifNull: [`$${field}`, value] }, value] } : { $ifNull: [`$${field}`, null] };
  return {
    runId: literal(runId),
    nodeId: literal(w.nodeId),
    stage: { $ifNull: ['$stage', literal(w.stage)] },
    parentId: { $ifNull: ['$parentId', literal(w.parentId)] },
    statusRank: { $max: [{ $ifNull: ['$statusRank', 0] }, NODE_STATUS_ORDER.indexOf(w.status)] },
    codeSizeBytes: { $ifNull: [literal(w.codeSizeBytes), '$codeSizeBytes', null] },
    isBuggy: fromFirst('isBuggy', w.isBuggy),
    metric: fromFirst('metric', w.metric),
    execTimeS: fromFirst('execTimeS', w.execTimeS),
    createdAt: earliest('createdAt', w.createdAt),
    completedAt: earliest('completedAt', w.completedAt),
    updatedAt: { $max: [{ $ifNull: ['$updatedAt', w.at] }, w.at] },
  };
}

export class MongoNodesRepository implements NodesRepository {
  private readonly model: Model<NodeDocument>;

  constructor(connection: Connection) {
    this.model = modelOf<NodeDocument>(connection, 'Node', NodeSchema);
  }

  async listByRun(runId: string): Promise<RunNode[]> {
    const docs = await this.model.find({ runId }).sort({ createdAt: 1, nodeId: 1 }).lean<NodeDocument[]>();
    return docs.map((d) => nodeFromDocument(d, NODE_STATUS_ORDER));
  }

  async history(runId: string): Promise<NodeHistoryEntry[]> {
    const docs = await this.model
      .find({ runId, completedAt: { $ne: null } })
      .sort({ completedAt: 1, nodeId: 1 })
      .lean<NodeDocument[]>();
    return docs.map((d, index) => ({
      nodeId: d.nodeId,
      stage: d.stage,
      iteration: index + 1,
      isBuggy: d.isBuggy === true,
      metric: d.metric ?? null,
      timestamp: d.completedAt!,
    }));
  }

  async applyWrites(runId: string, writes: readonly NodeWrite[]): Promise<void> {
    const operations: mongo.AnyBulkWriteOperation<any>[] = writes.map((w) => ({
      updateOne: { filter: { _id: `${runId}:${w.nodeId}` }, update: [{ $set: pipelineSet(runId, w) }], upsert: true },
    }));
    await bulkWriteIdempotent(this.model, operations);
  }
}
