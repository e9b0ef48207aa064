import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Stage, StageName, StageStatus } from '../run.js';

/** Stored shape of a stage in MongoDB; `_id` is `<runId>:<name>` so a stage can never be inserted twice. */
@Schema({ collection: 'stages', versionKey: false, minimize: false })
export class StageDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  runId: string;

  @Prop({ type: String, required: true, enum: Object.values(StageName) })
  name: StageName;

  @Prop({ type: String, required: true, enum: Object.values(StageStatus) })
  status: StageStatus;

  @Prop({ type: Number, default: 0 })
  progress: number;

  @Prop({ type: String, default: null })
  description: string | null;

  @Prop({ type: Object, default: null })
  summary: unknown;

  @Prop({ type: Date, default: null })
  startedAt: Date | null;

  @Prop({ type: Date, default: null })
  completedAt: Date | null;

  @Prop({ type: Number, default: null })
  durationS: number | null;

  @Prop({ type: String, default: null })
  bestNodeId: string | null;

  @Prop({ type: Number, default: null })
  bestMetric: number | null;

  @Prop({ type: Date, default: null })
  bestAt: Date | null;

  @Prop({ type: Date, default: null })
  updatedAt: Date | null;
}

export const StageSchema = SchemaFactory.createForClass(StageDocument);
StageSchema.index({ runId: 1, name: 1 });

export const stageId = (runId: string, name: StageName) => `${runId}:${name}`;

export function stageFromDocument(doc: StageDocument): Stage {
  return {
    runId: doc.runId,
    name: doc.name,
    status: doc.status,
    progress: doc.progress ?? 0,
    description: doc.description ?? null,
    summary: doc.summary ?? null,
    startedAt: doc.startedAt ?? null,
    completedAt: doc.completedAt ?? null,
    durationS: doc.durationS ?? null,
    bestNodeId: doc.bestNodeId ?? null,
    bestMetric: doc.bestMetric ?? null,
    updatedAt: doc.updatedAt ?? null,
  };
}
