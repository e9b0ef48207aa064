import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { PaperAnalysis, PaperAnalysisStatus } from '../paper-analysis.js';

/** Stored shape of a paper analysis in MongoDB (`_id` is the analysis id). */
@Schema({ collection: 'paperAnalyses', versionKey: false, minimize: false })
export class PaperAnalysisDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  runId: string;

  @Prop({ type: String, required: true })
  status: PaperAnalysisStatus;

  @Prop({ type: String, required: true })
  requestedBy: string;

  @Prop({ type: Boolean, required: true })
  current: boolean;

  @Prop({ type: Number, required: true })
  attempts: number;

  @Prop({ type: Object, default: null })
  paper: PaperAnalysis['paper'];

  @Prop({ type: Object, default: null })
  quantitative: PaperAnalysis['quantitative'];

  @Prop({ type: Object, default: null })
  qualitative: PaperAnalysis['qualitative'];

  @Prop({ type: Object, default: null })
  models: PaperAnalysis['models'];

  @Prop({ type: Object, default: null })
  usage: PaperAnalysis['usage'];

  @Prop({ type: String, default: null })
  errorCode: string | null;

  @Prop({ type: String, default: null })
  errorMessage: string | null;

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date, required: true })
  updatedAt: Date;

  @Prop({ type: Date, default: null })
  startedAt: Date | null;

  @Prop({ type: Date, default: null })
  completedAt: Date | null;

  @Prop({ type: Date, default: null })
  supersededAt: Date | null;
}

export const PaperAnalysisSchema = SchemaFactory.createForClass(PaperAnalysisDocument);
// One current analysis per run; the store refuses a second.
PaperAnalysisSchema.index({ runId: 1 }, { unique: true, partialFilterExpression: { current: true } });
PaperAnalysisSchema.index({ runId: 1, current: 1, createdAt: -1, _id: -1 });
PaperAnalysisSchema.index({ status: 1, createdAt: 1 });

export function paperAnalysisFromDocument(doc: PaperAnalysisDocument): PaperAnalysis {
  const { _id, ...rest } = doc;
  return { ...rest, id: _id };
}
