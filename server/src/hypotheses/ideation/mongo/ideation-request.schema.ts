import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { IdeationStatus } from '../../hypothesis.js';
import type { IdeationRequest } from '../ideation-request.js';

/** Stored shape of an ideation request in MongoDB (`_id` is the request id). */
@Schema({ collection: 'ideations', versionKey: false, minimize: false })
export class IdeationRequestDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  hypothesisId: string;

  @Prop({ type: String, required: true })
  status: IdeationStatus;

  @Prop({ type: Number, required: true })
  reflections: number;

  @Prop({ type: Boolean, required: true })
  autoLaunch: boolean;

  @Prop({ type: String, required: true })
  createdBy: string;

  @Prop({ type: String, default: null })
  model: string | null;

  @Prop({ type: [Object], default: [] })
  rounds: IdeationRequest['rounds'];

  @Prop({ type: [Object], default: [] })
  ideas: IdeationRequest['ideas'];

  @Prop({ type: Number, required: true })
  attempts: number;

  @Prop({ type: Object, default: null })
  usage: IdeationRequest['usage'];

  @Prop({ type: String, default: null })
  errorCode: string | null;

  @Prop({ type: String, default: null })
  errorMessage: string | null;

  @Prop({ type: String, default: null })
  runId: string | null;

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date, required: true })
  updatedAt: Date;

  @Prop({ type: Date, default: null })
  startedAt: Date | null;

  @Prop({ type: Date, default: null })
  completedAt: Date | null;
}

export const IdeationRequestSchema = SchemaFactory.createForClass(IdeationRequestDocument);
IdeationRequestSchema.index({ createdAt: -1, _id: -1 });
IdeationRequestSchema.index({ status: 1, createdAt: -1, _id: -1 });
IdeationRequestSchema.index({ hypothesisId: 1, createdAt: -1, _id: -1 });

export function ideationFromDocument(doc: IdeationRequestDocument): IdeationRequest {
  const { _id, ...rest } = doc;
  return { ...rest, id: _id };
}
