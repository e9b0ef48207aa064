import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { LogLevel, StoredEvent } from '../event.js';

/** Stored event; `_id` is the CloudEvent id, so an event can never be stored twice. */
@Schema({ collection: 'events', versionKey: false, minimize: false })
export class EventDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  runId: string;

  @Prop({ type: Number, required: true })
  seq: number;

  @Prop({ type: String, required: true })
  type: string;

  @Prop({ type: String, required: true })
  source: string;

  @Prop({ type: Number, default: null })
  sourceSeq: number | null;

  @Prop({ type: Date, required: true })
  time: Date;

  @Prop({ type: Date, required: true })
  receivedAt: Date;

  @Prop({ type: String, default: null })
  level: LogLevel | null;

  @Prop({ type: String, default: null })
  message: string | null;

  // Kept as JSON text: event data is free-form and may hold keys MongoDB refuses ('$x', 'a.b').
  @Prop({ type: String, required: true })
  data: string;

  @Prop({ type: String, default: null })
  traceparent: string | null;

  @Prop({ type: Boolean, required: true })
  known: boolean;

  @Prop({ type: String, default: null })
  outcome: string | null;
}

export const EventSchema = SchemaFactory.createForClass(EventDocument);
EventSchema.index({ runId: 1, seq: 1 }, { unique: true });
EventSchema.index({ runId: 1, type: 1, seq: 1 });
EventSchema.index({ runId: 1, level: 1, seq: 1 }, { partialFilterExpression: { level: { $type: 'string' } } });

/** Per run: the last position handed out and the last one projected. `_id` is the run id. */
@Schema({ collection: 'event_positions', versionKey: false })
export class EventPositionsDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: Number, required: true })
  lastSeq: number;

  @Prop({ type: Number, required: true })
  appliedSeq: number;
}

export const EventPositionsSchema = SchemaFactory.createForClass(EventPositionsDocument);
EventPositionsSchema.index({ appliedSeq: 1, lastSeq: 1 });

export function eventFromDocument({ _id, data, ...doc }: EventDocument): StoredEvent {
  return { ...doc, id: _id, data: JSON.parse(data) as Record<string, unknown> };
}

export function eventToDocument({ id, data, ...event }: StoredEvent): EventDocument {
  return { ...event, _id: id, data: JSON.stringify(data) };
}
