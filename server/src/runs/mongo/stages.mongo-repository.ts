import type { mongo } from 'mongoose';
import type { Connection, Model } from 'mongoose';
import { bulkWriteIdempotent } from '../../infra/persistence/mongo/bulk-write.js';
import { modelOf } from '../../infra/persistence/mongo/model.js';
import type { StageDuration } from '../run-statistics.js';
import { Stage, type StageName, StageStatus } from '../run.js';
import { StagesRepository, StageWrite } from '../stages.repository.js';
import { StageDocument, stageFromDocument, stageId, StageSchema } from './stage.schema.js';

const literal = (value: unknown) => ({ $literal: value ?? null });
const FINISHED = [StageStatus.COMPLETED, StageStatus.FAILED];
const keepIfFinished = (otherwise: StageStatus) => ({
  $cond: [{ $in: [{ $ifNull: ['$status', null] }, FINISHED] }, '$status', otherwise],
});
const latest = (at: Date) => ({ $max: [{ $ifNull: ['$updatedAt', at] }, at] });
const progressOrZero = { $ifNull: ['$progress', 0] };

// The same rules as the SQLite upserts, as update pipelines ($literal keeps '$' in values inert).
function pipelineSet(write: StageWrite): Record<string, unknown> {
  const at = write.at;
  switch (write.kind) {
    case 'started':
      return {
        status: keepIfFinished(StageStatus.RUNNING),
        progress: progressOrZero,
        description: { $ifNull: [literal(write.description), '$description', null] },
        startedAt: { $min: [{ $ifNull: ['$startedAt', at] }, at] },
        updatedAt: latest(at),
      };
    case 'progress':
      return {
        status: keepIfFinished(StageStatus.RUNNING),
        progress: { $max: [progressOrZero, write.progress] },
        startedAt: { $ifNull: ['$startedAt', at] },
        updatedAt: latest(at),
      };
    case 'completed':
      return {
        status: StageStatus.COMPLETED,
        progress: 1,
        summary: { $ifNull: [literal(write.summary), '$summary', null] },
        completedAt: { $ifNull: ['$completedAt', at] },
        durationS: { $ifNull: [literal(write.durationS), '$durationS', null] },
        updatedAt: latest(at),
      };
    case 'failed':
      return {
        status: { $cond: [{ $eq: ['$status', StageStatus.COMPLETED] }, '$status', StageStatus.FAILED] },
        progress: progressOrZero,
        completedAt: { $ifNull: ['$completedAt', at] },
        updatedAt: latest(at),
      };
    case 'best': {
      const newer = { $or: [{ $eq: [{ $ifNull: ['$bestAt', null] }, null] }, { $lte: ['$bestAt', at] }] };
      return {
        status: { $ifNull: ['$status', StageStatus.RUNNING] },
        progress: progressOrZero,
        bestNodeId: { $cond: [newer, literal(write.nodeId), '$bestNodeId'] },
        bestMetric: { $cond: [newer, literal(write.metric), '$bestMetric'] },
        bestAt: { $max: [{ $ifNull: ['$bestAt', at] }, at] },
        startedAt: { $ifNull: ['$startedAt', at] },
        updatedAt: latest(at),
      };
    }
  }
}

export class MongoStagesRepository implements StagesRepository {
  private readonly model: Model<StageDocument>;

  constructor(connection: Connection) {
    this.model = modelOf<StageDocument>(connection, 'Stage', StageSchema);
  }

  async listByRun(runId: string): Promise<Stage[]> {
    const docs = await this.model.find({ runId }).sort({ name: 1 }).lean<StageDocument[]>();
    return docs.map(stageFromDocument);
  }

  async averageDurations(since: Date): Promise<StageDuration[]> {
    const rows = await this.model.aggregate<{ _id: StageName; average: number; n: number }>([
      { $match: { status: StageStatus.COMPLETED, completedAt: { $gte: since } } },
      { $project: { name: 1, duration: { $ifNull: ['$durationS', { $divide: [{ $subtract: ['$completedAt', '$startedAt'] }, 1000] }] } } },
      { $match: { duration: { $ne: null } } },
      { $group: { _id: '$name', average: { $avg: '$duration' }, n: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    return rows.map((r) => ({ stage: r._id, averageS: r.average, samples: r.n }));
  }

  async applyWrites(runId: string, writes: readonly StageWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const operations = writes.map(
      (write): mongo.AnyBulkWriteOperation<any> => ({
        updateOne: {
          filter: { _id: stageId(runId, write.name) },
          update: [{ $set: { runId: literal(runId), name: literal(write.name), ...pipelineSet(write) } }],
          upsert: true,
        },
      }),
    );
    // The driver's own bulkWrite takes update pipelines as they are (no Mongoose casting).
    await bulkWriteIdempotent(this.model, operations);
  }
}
