import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Connection, Model, mongo } from 'mongoose';
import { bulkWriteIdempotent } from '../../infra/persistence/mongo/bulk-write.js';
import { modelOf } from '../../infra/persistence/mongo/model.js';
import { Artifact, ArtifactStatus, ArtifactWrite } from '../artifact.js';
import { ArtifactsRepository } from '../artifacts.repository.js';

/** Stored artifact record; `_id` is `<runId>|<key>`, and runId and key are fields of their own for queries. */
@Schema({ collection: 'artifacts', versionKey: false })
export class ArtifactDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  runId: string;

  @Prop({ type: String, required: true })
  key: string;

  @Prop({ type: String, default: null })
  kind: string | null;

  @Prop({ type: String, required: true, enum: Object.values(ArtifactStatus) })
  status: ArtifactStatus;

  @Prop({ type: Number, default: null })
  bytes: number | null;

  @Prop({ type: String, default: null })
  sha256: string | null;

  @Prop({ type: String, default: null })
  contentType: string | null;

  @Prop({ type: String, default: null })
  errorCode: string | null;

  @Prop({ type: String, default: null })
  errorMessage: string | null;

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date, required: true })
  updatedAt: Date;
}

export const ArtifactSchema = SchemaFactory.createForClass(ArtifactDocument);
ArtifactSchema.index({ runId: 1, createdAt: 1 });
ArtifactSchema.index({ runId: 1, key: 1 }, { unique: true });

const fromDocument = ({ _id: _ignored, ...doc }: ArtifactDocument): Artifact => doc;

export class MongoArtifactsRepository implements ArtifactsRepository {
  private readonly model: Model<ArtifactDocument>;

  constructor(connection: Connection) {
    this.model = modelOf<ArtifactDocument>(connection, 'Artifact', ArtifactSchema);
  }

  async listByRun(runId: string, kinds?: readonly string[]): Promise<Artifact[]> {
    const filter = kinds && kinds.length > 0 ? { runId, kind: { $in: [...kinds] } } : { runId };
    const docs = await this.model.find(filter).sort({ createdAt: 1, key: 1 }).lean<ArtifactDocument[]>();
    return docs.map(fromDocument);
  }

  async find(runId: string, key: string): Promise<Artifact | null> {
    const doc = await this.model.findOne({ runId, key }).lean<ArtifactDocument>();
    return doc ? fromDocument(doc) : null;
  }

  async applyWrites(runId: string, writes: readonly ArtifactWrite[]): Promise<void> {
    const operations: mongo.AnyBulkWriteOperation<any>[] = writes.map((w) => {
      const newer = { $or: [{ $eq: [{ $ifNull: ['$updatedAt', null] }, null] }, { $gte: [w.at, '$updatedAt'] }] };
      const pick = (field: string, value: unknown) => ({ $cond: [newer, { $literal: value ?? null }, `$${field}`] });
      const keepIfUnset = (field: string, value: unknown) => ({ $cond: [newer, { $ifNull: [{ $literal: value ?? null }, `$${field}`, null] }, `$${field}`] });
      return {
        updateOne: {
          filter: { _id: `${runId}|${w.key}` },
          update: [
            {
              $set: {
                runId: { $literal: runId },
                key: { $literal: w.key },
                kind: keepIfUnset('kind', w.kind),
                bytes: keepIfUnset('bytes', w.bytes),
                sha256: keepIfUnset('sha256', w.sha256),
                contentType: keepIfUnset('contentType', w.contentType),
                status: pick('status', w.status),
                errorCode: pick('errorCode', w.errorCode),
                errorMessage: pick('errorMessage', w.errorMessage),
                createdAt: { $min: [{ $ifNull: ['$createdAt', w.at] }, w.at] },
                updatedAt: { $max: [{ $ifNull: ['$updatedAt', w.at] }, w.at] },
              },
            },
          ],
          upsert: true,
        },
      };
    });
    await bulkWriteIdempotent(this.model, operations);
  }

  async deleteByRun(runId: string): Promise<number> {
    const { deletedCount } = await this.model.deleteMany({ runId });
    return deletedCount;
  }
}
