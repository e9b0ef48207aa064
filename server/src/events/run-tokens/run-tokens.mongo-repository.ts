import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Connection, Model } from 'mongoose';
import { modelOf } from '../../infra/persistence/mongo/model.js';
import type { RunTokensRepository } from './run-tokens.repository.js';

/** A run token's hash (`_id`) and its run. */
@Schema({ collection: 'run_tokens', versionKey: false })
export class RunTokenDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  runId: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date, default: null })
  revokedAt: Date | null;
}

export const RunTokenSchema = SchemaFactory.createForClass(RunTokenDocument);
RunTokenSchema.index({ runId: 1 });

export class MongoRunTokensRepository implements RunTokensRepository {
  private readonly model: Model<RunTokenDocument>;

  constructor(connection: Connection) {
    this.model = modelOf<RunTokenDocument>(connection, 'RunToken', RunTokenSchema);
  }

  async insert(token: { tokenHash: string; runId: string; createdAt: Date }): Promise<void> {
    await this.model.collection.insertOne({ _id: token.tokenHash, runId: token.runId, createdAt: token.createdAt, revokedAt: null } as never);
  }

  async findActiveRun(tokenHash: string): Promise<string | null> {
    const doc = await this.model.findOne({ _id: tokenHash, revokedAt: null }).lean<RunTokenDocument>();
    return doc?.runId ?? null;
  }

  async revokeAll(runId: string, at: Date): Promise<number> {
    const result = await this.model.updateMany({ runId, revokedAt: null }, { $set: { revokedAt: at } });
    return result.modifiedCount;
  }
}
