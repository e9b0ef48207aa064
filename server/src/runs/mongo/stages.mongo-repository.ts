import { modelOf } from '../../infra/persistence/mongo/model.js';
import type { Connection, Model } from 'mongoose';
import { isDuplicateKey } from '../../infra/persistence/mongo/keyset.js';
import { Stage, StageName, StageStatus } from '../run.js';
import { StagesRepository } from '../stages.repository.js';
import { StageDocument, stageFromDocument, stageId, StageSchema } from './stage.schema.js';

const literal = (value: unknown) => ({ $literal: value ?? null });
const FINISHED = [StageStatus.COMPLETED, StageStatus.FAILED];
const keepIfFinished = (otherwise: StageStatus) => ({
  $cond: [{ $in: [{ $ifNull: ['$status', null] }, FINISHED] }, '$status', otherwise],
});
const earliest = (at: Date) => ({ $min: [{ $ifNull: ['$startedAt', at] }, at] });
const latest = (at: Date) => ({ $max: [{ $ifNull: ['$updatedAt', at] }, at] });

export class MongoStagesRepository implements StagesRepository {
  private readonly model: Model<StageDocument>;

  constructor(connection: Connection) {
    this.model = modelOf<StageDocument>(connection, 'Stage', StageSchema);
  }

  async listByRun(runId: string): Promise<Stage[]> {
    const docs = await this.model.find({ runId }).sort({ name: 1 }).lean<StageDocument[]>();
    return docs.map(stageFromDocument);
  }

  markStarted(runId: string, name: StageName, at: Date, description: string | null = null): Promise<Stage> {
    return this.upsert(runId, name, {
      status: keepIfFinished(StageStatus.RUNNING),
      progress: { $ifNull: ['$progress', 0] },
      description: { $ifNull: [literal(description), '$description', null] },
      startedAt: earliest(at),
      updatedAt: latest(at),
    });
  }

  recordProgress(runId: string, name: StageName, progress: number, at: Date): Promise<Stage> {
    return this.upsert(runId, name, {
      status: keepIfFinished(StageStatus.RUNNING),
      progress: { $max: [{ $ifNull: ['$progress', 0] }, progress] },
      startedAt: { $ifNull: ['$startedAt', at] },
      updatedAt: latest(at),
    });
  }

  markCompleted(runId: string, name: StageName, at: Date, durationS: number | null = null, summary?: unknown): Promise<Stage> {
    return this.upsert(runId, name, {
      status: StageStatus.COMPLETED,
      progress: 1,
      summary: { $ifNull: [literal(summary), '$summary', null] },
      completedAt: { $ifNull: ['$completedAt', at] },
      durationS: { $ifNull: [literal(durationS), '$durationS', null] },
      updatedAt: latest(at),
    });
  }

  markFailed(runId: string, name: StageName, at: Date): Promise<Stage> {
    return this.upsert(runId, name, {
      status: { $cond: [{ $eq: ['$status', StageStatus.COMPLETED] }, '$status', StageStatus.FAILED] },
      progress: { $ifNull: ['$progress', 0] },
      completedAt: { $ifNull: ['$completedAt', at] },
      updatedAt: latest(at),
    });
  }

  // One atomic upsert per write; two racing first writes collide on _id and the loser simply retries as an update.
  private async upsert(runId: string, name: StageName, set: Record<string, unknown>): Promise<Stage> {
    const run = () =>
      this.model
        .findOneAndUpdate({ _id: stageId(runId, name) }, [{ $set: { runId: literal(runId), name: literal(name), ...set } }], {
          upsert: true,
          returnDocument: 'after',
          updatePipeline: true,
        })
        .lean<StageDocument>();
    try {
      return stageFromDocument((await run()));
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return stageFromDocument((await run()));
    }
  }
}
