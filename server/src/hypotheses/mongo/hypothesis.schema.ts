import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Hypothesis } from '../hypothesis.js';

/** Stored shape of a hypothesis in MongoDB (`_id` is the hypothesis id). */
@Schema({ collection: 'hypotheses', versionKey: false, minimize: false })
export class HypothesisDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  title: string;

  @Prop({ type: String, required: true })
  idea: string;

  @Prop({ type: String, required: true })
  createdBy: string;

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date, required: true })
  updatedAt: Date;

  @Prop({ type: Object, default: null })
  ideaJson: Hypothesis['ideaJson'];

  @Prop({ type: String, default: null })
  chatGptUrl: string | null;

  @Prop({ type: Object, default: null })
  ideation: Hypothesis['ideation'];

  @Prop({ type: Boolean, default: false })
  seed: boolean;

  @Prop({ type: Boolean, default: false })
  hidden: boolean;
}

export const HypothesisSchema = SchemaFactory.createForClass(HypothesisDocument);
// The history list: visible hypotheses, newest first.
HypothesisSchema.index({ hidden: 1, createdAt: -1, _id: -1 });
HypothesisSchema.index({ createdAt: -1, _id: -1 });

export function hypothesisFromDocument(doc: HypothesisDocument): Hypothesis {
  const { _id, ...rest } = doc;
  return { ...rest, id: _id };
}
