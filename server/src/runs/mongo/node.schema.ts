import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { NodeStatus, RunNode, StageName } from '../run.js';

/** Stored shape of a search-tree node; `_id` is `<runId>:<nodeId>`. */
@Schema({ collection: 'nodes', versionKey: false })
export class NodeDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  runId: string;

  @Prop({ type: String, required: true })
  nodeId: string;

  @Prop({ type: String, required: true, enum: Object.values(StageName) })
  stage: StageName;

  @Prop({ type: String, default: null })
  parentId: string | null;

  @Prop({ type: Number, required: true })
  statusRank: number;

  @Prop({ type: Boolean, default: null })
  isBuggy: boolean | null;

  @Prop({ type: Number, default: null })
  metric: number | null;

  @Prop({ type: Number, default: null })
  execTimeS: number | null;

  @Prop({ type: Number, default: null })
  codeSizeBytes: number | null;

  @Prop({ type: Date, default: null })
  createdAt: Date | null;

  @Prop({ type: Date, default: null })
  completedAt: Date | null;

  @Prop({ type: Date, required: true })
  updatedAt: Date;
}

export const NodeSchema = SchemaFactory.createForClass(NodeDocument);
NodeSchema.index({ runId: 1, createdAt: 1 });
NodeSchema.index({ runId: 1, completedAt: 1 });

export function nodeFromDocument(doc: NodeDocument, order: readonly NodeStatus[]): RunNode {
  return {
    runId: doc.runId,
    nodeId: doc.nodeId,
    stage: doc.stage,
    parentId: doc.parentId ?? null,
    status: order[doc.statusRank],
    isBuggy: doc.isBuggy ?? null,
    metric: doc.metric ?? null,
    execTimeS: doc.execTimeS ?? null,
    codeSizeBytes: doc.codeSizeBytes ?? null,
    createdAt: doc.createdAt ?? null,
    completedAt: doc.completedAt ?? null,
    updatedAt: doc.updatedAt,
  };
}
