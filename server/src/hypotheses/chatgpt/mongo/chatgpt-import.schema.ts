import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { ChatGptImport, ChatGptPageFormat, ExtractionMethod, ExtractionStatus } from '../chatgpt-import.js';

/** Stored shape of a ChatGPT import in MongoDB (`_id` is the import id). */
@Schema({ collection: 'chatGptImports', versionKey: false, minimize: false })
export class ChatGptImportDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  url: string;

  @Prop({ type: String, required: true })
  status: ExtractionStatus;

  @Prop({ type: Boolean, required: true })
  enableIdeation: boolean;

  @Prop({ type: Number, required: true })
  reflections: number;

  @Prop({ type: Boolean, required: true })
  autoLaunch: boolean;

  @Prop({ type: String, required: true })
  createdBy: string;

  @Prop({ type: String, default: null })
  hypothesisId: string | null;

  @Prop({ type: String, default: null })
  format: ChatGptPageFormat | null;

  @Prop({ type: String, default: null })
  method: ExtractionMethod | null;

  @Prop({ type: Number, default: null })
  messageCount: number | null;

  @Prop({ type: Number, required: true })
  attempts: number;

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
}

export const ChatGptImportSchema = SchemaFactory.createForClass(ChatGptImportDocument);
ChatGptImportSchema.index({ status: 1, createdAt: 1 });

export function chatGptImportFromDocument(doc: ChatGptImportDocument): ChatGptImport {
  const { _id, ...rest } = doc;
  return { ...rest, id: _id };
}
