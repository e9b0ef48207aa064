import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import type { Connection, Model, mongo, PipelineStage } from 'mongoose';
import { type Cursor, type Page, SortDirection, toPage } from '../../common/pagination/cursor.js';
import { bulkWriteIdempotent } from '../../infra/persistence/mongo/bulk-write.js';
import { isDuplicateKey, keyset } from '../../infra/persistence/mongo/keyset.js';
import { modelOf } from '../../infra/persistence/mongo/model.js';
import { RunStatus } from '../../runs/run.js';
import {
  autoValidationId,
  AutoValidationWrite,
  humanValidationId,
  ReviewQueueEntry,
  RubricScore,
  Validation,
  ValidationKind,
  ValidationStatus,
  Verdict,
} from '../validation.js';
import { ValidationsRepository } from '../validations.repository.js';

/** Stored validation record (`_id` is the validation id). */
@Schema({ collection: 'validations', versionKey: false })
export class ValidationDocument {
  @Prop({ type: String, required: true })
  _id: string;

  @Prop({ type: String, required: true })
  runId: string;

  @Prop({ type: String, required: true, enum: Object.values(ValidationKind) })
  kind: ValidationKind;

  @Prop({ type: String, required: true, enum: Object.values(ValidationStatus) })
  status: ValidationStatus;

  @Prop({ type: String, default: null })
  verdict: Verdict | null;

  @Prop({ type: Array, default: [] })
  scores: RubricScore[];

  @Prop({ type: String, default: null })
  notes: string | null;

  @Prop({ type: String, default: null })
  model: string | null;

  @Prop({ type: String, default: null })
  rubricVersion: string | null;

  @Prop({ type: String, default: null })
  reviewer: string | null;

  @Prop({ type: Date, default: null })
  startedAt: Date | null;

  @Prop({ type: Date, default: null })
  completedAt: Date | null;

  @Prop({ type: Date, required: true })
  updatedAt: Date;
}

export const ValidationSchema = SchemaFactory.createForClass(ValidationDocument);
ValidationSchema.index({ runId: 1, kind: 1 });
// One human validation per run, whatever its id: concurrent reviews record one.
ValidationSchema.index({ runId: 1 }, { unique: true, partialFilterExpression: { kind: ValidationKind.HUMAN } });

// The collection of runs (owned by the runs module), read here only to page the review queue in the store.
const RUNS_COLLECTION = 'runs';

// Runs waiting for a human, before paging: AWAITING_HUMAN, or COMPLETED with an AUTO and no HUMAN validation.
function reviewQueueStages(collection: string, after?: Cursor): PipelineStage[] {
  const paging = keyset({ after, limit: 0, direction: SortDirection.ASC });
  return [
    { $match: { $and: [{ hidden: false, status: { $in: [RunStatus.AWAITING_HUMAN, RunStatus.COMPLETED] } }, paging.filter] } },
    { $sort: { createdAt: 1, _id: 1 } },
    {
      $lookup: {
        from: collection,
        let: { runId: '$_id' },
        pipeline: [{ $match: { $expr: { $eq: ['$runId', '$$runId'] } } }],
        as: 'validations',
      },
    },
    {
      $match: {
        $or: [
          { status: RunStatus.AWAITING_HUMAN },
          { $and: [{ status: RunStatus.COMPLETED }, { 'validations.kind': ValidationKind.AUTO }, { 'validations.kind': { $ne: ValidationKind.HUMAN } }] },
        ],
      },
    },
  ];
}

const fromDocument = ({ _id, ...doc }: ValidationDocument): Validation => ({
  ...doc,
  id: _id,
  scores: doc.scores ?? [],
  verdict: doc.verdict ?? null,
  notes: doc.notes ?? null,
  model: doc.model ?? null,
  rubricVersion: doc.rubricVersion ?? null,
  reviewer: doc.reviewer ?? null,
  startedAt: doc.startedAt ?? null,
  completedAt: doc.completedAt ?? null,
});

const literal = (value: unknown) => ({ $literal: value ?? null });

// The same rules as the SQLite adapter, as update pipelines.
function pipelineSet(runId: string, w: AutoValidationWrite): Record<string, unknown> {
  const base = { runId: literal(runId), kind: ValidationKind.AUTO, updatedAt: { $max: [{ $ifNull: ['$updatedAt', w.at] }, w.at] } };
  if (w.kind === 'started') {
    const newAttempt = { $gt: [w.at, { $ifNull: ['$completedAt', new Date(0)] }] };
    const orFill = (field: string, value: unknown) => ({
      $cond: [{ $or: [newAttempt, { $eq: [{ $ifNull: [`$${field}`, null] }, null] }] }, literal(value), `$${field}`],
    });
    const reset = (field: string, fallback: unknown = null) => ({ $cond: [newAttempt, fallback, { $ifNull: [`$${field}`, fallback] }] });
    return {
      ...base,
      status: { $cond: [newAttempt, ValidationStatus.RUNNING, '$status'] },
      verdict: reset('verdict'),
      scores: reset('scores', []),
      notes: reset('notes'),
      completedAt: reset('completedAt'),
      model: orFill('model', w.model),
      rubricVersion: orFill('rubricVersion', w.rubricVersion),
      startedAt: orFill('startedAt', w.at),
    };
  }
  const newest = { $gte: [w.at, { $ifNull: ['$completedAt', new Date(0)] }] };
  const pick = (field: string, value: unknown) => ({ $cond: [newest, literal(value), `$${field}`] });
  return {
    ...base,
    status: { $cond: [{ $and: [newest, { $lte: [{ $ifNull: ['$startedAt', new Date(0)] }, w.at] }] }, ValidationStatus.COMPLETED, '$status'] },
    verdict: pick('verdict', w.verdict),
    scores: pick('scores', w.scores),
    notes: pick('notes', w.notes),
    completedAt: { $max: [{ $ifNull: ['$completedAt', w.at] }, w.at] },
  };
}

export class MongoValidationsRepository implements ValidationsRepository {
  private readonly model: Model<ValidationDocument>;

  constructor(connection: Connection) {
    this.model = modelOf<ValidationDocument>(connection, 'Validation', ValidationSchema);
  }

  async listByRun(runId: string): Promise<Validation[]> {
    const docs = await this.model.find({ runId }).sort({ kind: 1, startedAt: 1 }).lean<ValidationDocument[]>();
    return docs.map(fromDocument);
  }

  async applyAutoWrites(runId: string, writes: readonly AutoValidationWrite[]): Promise<void> {
    const id = autoValidationId(runId);
    const operations: mongo.AnyBulkWriteOperation<any>[] = writes.map((w) => ({
      updateOne: { filter: { _id: id }, update: [{ $set: pipelineSet(runId, w) }], upsert: true },
    }));
    await bulkWriteIdempotent(this.model, operations);
  }

  async insertHuman(validation: Validation): Promise<boolean> {
    const { id, ...fields } = validation;
    try {
      await this.model.collection.insertOne({ _id: id, ...fields } as never);
      return true;
    } catch (error) {
      // The _id or the one-human-per-run index: the run has its review already.
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async findHuman(runId: string): Promise<Validation | null> {
    const doc = await this.model.findById(humanValidationId(runId)).lean<ValidationDocument>();
    return doc ? fromDocument(doc) : null;
  }

  async deleteHuman(runId: string): Promise<boolean> {
    const { deletedCount } = await this.model.deleteOne({ _id: humanValidationId(runId) });
    return deletedCount === 1;
  }

  async listReviewQueue(page: { after?: Cursor; limit: number }): Promise<Page<ReviewQueueEntry>> {
    const docs = await this.runs()
      .aggregate<{ _id: string; createdAt: Date; validations: ValidationDocument[] }>([
        ...reviewQueueStages(this.model.collection.collectionName, page.after),
        { $limit: page.limit + 1 },
        { $project: { _id: 1, createdAt: 1, validations: 1 } },
      ])
      .toArray();
    const entries = docs.map((doc) => {
      const auto = doc.validations.find((v) => v.kind === ValidationKind.AUTO);
      return { runId: doc._id, createdAt: doc.createdAt, autoValidation: auto ? fromDocument(auto) : null };
    });
    return toPage(entries, page.limit);
  }

  // The driver's collection (not a model): the run documents are read as stored, never cast or written.
  private runs() {
    return this.model.db.db!.collection(RUNS_COLLECTION);
  }

  async countReviewQueue(): Promise<number> {
    const [result] = await this.runs()
      .aggregate<{ n: number }>([...reviewQueueStages(this.model.collection.collectionName), { $count: 'n' }])
      .toArray();
    return result?.n ?? 0;
  }
}
