import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Connection, Model, mongo } from 'mongoose';
import { bulkWriteIdempotent } from '../../infra/persistence/mongo/bulk-write.js';
import { modelOf } from '../../infra/persistence/mongo/model.js';
import { MetricsRepository } from '../metrics.repository.js';
import { RunMetric, StageName } from '../run.js';

/** Stored latest value of one metric of a run; `_id` is `<runId>:<name>`. */
@Schema({ collection: 'run_metrics', versionKey: false })
export class MetricDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  runId: string;

  @Prop({ type: String, required: true })
  name: string;

  @Prop({ type: Number, required: true })
  value: number;

  @Prop({ type: String, default: null })
  stage: StageName | null;

  @Prop({ type: Date, required: true })
  at: Date;
}

export const MetricSchema = SchemaFactory.createForClass(MetricDocument);
MetricSchema.index({ runId: 1, name: 1 });

export class MongoMetricsRepository implements MetricsRepository {
  private readonly model: Model<MetricDocument>;

  constructor(connection: Connection) {
    this.model = modelOf<MetricDocument>(connection, 'RunMetric', MetricSchema);
  }

  async listByRun(runId: string): Promise<RunMetric[]> {
    const docs = await this.model.find({ runId }).sort({ name: 1 }).lean<MetricDocument[]>();
    return docs.map((d) => ({ name: d.name, value: d.value, stage: d.stage ?? null, at: d.at }));
  }

  async applyWrites(runId: string, writes: readonly RunMetric[]): Promise<void> {
    const operations: mongo.AnyBulkWriteOperation<any>[] = writes.map((m) => {
      const newer = { $or: [{ $eq: [{ $ifNull: ['$at', null] }, null] }, { $gte: [m.at, '$at'] }] };
      const pick = (field: string, value: unknown) => ({ $cond: [newer, { $literal: value }, `$${field}`] });
      return {
        updateOne: {
          filter: { _id: `${runId}:${m.name}` },
          update: [{ $set: { runId: { $literal: runId }, name: { $literal: m.name }, value: pick('value', m.value), stage: pick('stage', m.stage), at: pick('at', m.at) } }],
          upsert: true,
        },
      };
    });
    await bulkWriteIdempotent(this.model, operations);
  }
}
