import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Run } from '../run.js';
import { completeCurrentStage, completeProvisioning, RunStatus } from '../run.js';

/** Stored shape of a run in MongoDB (`_id` is the run id). */
@Schema({ collection: 'runs', versionKey: false, minimize: false })
export class RunDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  hypothesisId: string;

  @Prop({ type: String, required: true, enum: Object.values(RunStatus) })
  status: RunStatus;

  @Prop({ type: String, required: true })
  createdBy: string;

  @Prop({ type: String, default: null })
  idempotencyKey: string | null;

  @Prop({ type: Object, default: null })
  pod: Run['pod'];

  @Prop({ type: Object, default: null })
  currentStage: Run['currentStage'];

  @Prop({ type: Object, default: null })
  telemetry: Run['telemetry'];

  @Prop({ type: Object, default: null })
  paper: Run['paper'];

  @Prop({ type: Object, default: null })
  provisioning: Run['provisioning'];

  @Prop({ type: Object, default: null })
  writeup: Run['writeup'];

  @Prop({ type: Array, default: [] })
  statusHistory: Run['statusHistory'];

  @Prop({ type: Date, required: true })
  createdAt: Date;

  @Prop({ type: Date, required: true })
  updatedAt: Date;

  @Prop({ type: Date, default: null })
  startedAt: Date | null;

  @Prop({ type: Date, default: null })
  completedAt: Date | null;

  @Prop({ type: Date, default: null })
  failedAt: Date | null;

  @Prop({ type: Date, default: null })
  lastHeartbeat: Date | null;

  @Prop({ type: Number, default: 0 })
  lastEventSeq: number;

  @Prop({ type: String, default: null })
  errorType: string | null;

  @Prop({ type: String, default: null })
  errorMessage: string | null;

  @Prop({ type: String, default: null })
  errorTraceback: string | null;

  @Prop({ type: Boolean, default: false })
  hidden: boolean;
}

export const RunSchema = SchemaFactory.createForClass(RunDocument);
// The hot queries: runs list by status (newest first), a hypothesis' runs, the unfiltered list.
RunSchema.index({ status: 1, createdAt: -1, _id: -1 });
// The default list (visible runs of a status): equality on both, then the sort.
RunSchema.index({ status: 1, hidden: 1, createdAt: -1, _id: -1 });
RunSchema.index({ hypothesisId: 1, createdAt: -1, _id: -1 });
RunSchema.index({ createdAt: -1, _id: -1 });
RunSchema.index({ hidden: 1, createdAt: -1, _id: -1 });
RunSchema.index(
  { hypothesisId: 1, idempotencyKey: 1 },
  { unique: true, partialFilterExpression: { idempotencyKey: { $type: 'string' } } },
);

export function runFromDocument(doc: RunDocument): Run {
  const { _id, ...rest } = doc;
  return {
    ...rest,
    id: _id,
    currentStage: completeCurrentStage(rest.currentStage),
    telemetry: rest.telemetry ?? null,
    paper: rest.paper ?? null,
    provisioning: completeProvisioning(rest.provisioning ?? null),
    writeup: rest.writeup ?? null,
    lastEventSeq: rest.lastEventSeq ?? 0,
    statusHistory: rest.statusHistory ?? [],
  };
}

export function runToDocument(run: Run): RunDocument {
  const { id, ...rest } = run;
  return { _id: id, ...rest };
}
