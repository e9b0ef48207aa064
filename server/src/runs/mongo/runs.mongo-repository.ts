import { modelOf } from '../../infra/persistence/mongo/model.js';
import type { Connection, Model, QueryFilter } from 'mongoose';
import { Page, PageRequest, toPage } from '../../common/pagination/cursor.js';
import { isDuplicateKey, keyset } from '../../infra/persistence/mongo/keyset.js';
import { Run, type RunProvisioning, RunStatus } from '../run.js';
import { sourcesOf } from '../run-state-machine.js';
import type { RunStatistics } from '../run-statistics.js';
import { RunFilter, RunProjectionPatch, RunsRepository, StatusChange } from '../runs.repository.js';
import { RunDocument, runFromDocument, RunSchema, runToDocument } from './run.schema.js';

type Filter = QueryFilter<RunDocument>;

export class MongoRunsRepository implements RunsRepository {
  private readonly model: Model<RunDocument>;

  constructor(connection: Connection) {
    this.model = modelOf<RunDocument>(connection, 'Run', RunSchema);
  }

  async insert(run: Run): Promise<{ run: Run; created: boolean }> {
    try {
      await this.model.collection.insertOne(runToDocument(run) as never);
      return { run, created: true };
    } catch (error) {
      if (!isDuplicateKey(error) || run.idempotencyKey === null) throw error;
      const existing = await this.model
        .findOne({ hypothesisId: run.hypothesisId, idempotencyKey: run.idempotencyKey })
        .lean<RunDocument>();
      if (!existing) throw error;
      return { run: runFromDocument(existing), created: false };
    }
  }

  async findById(id: string): Promise<Run | null> {
    const doc = await this.model.findById(id).lean<RunDocument>();
    return doc ? runFromDocument(doc) : null;
  }

  async findByIds(ids: readonly string[]): Promise<Run[]> {
    if (ids.length === 0) return [];
    const docs = await this.model.find({ _id: { $in: ids } }).lean<RunDocument[]>();
    return docs.map(runFromDocument);
  }

  async list(filter: RunFilter, page: PageRequest): Promise<Page<Run>> {
    const paging = keyset(page);
    const docs = await this.model
      .find({ $and: [this.toQuery(filter), paging.filter] } as QueryFilter<RunDocument>)
      .sort(paging.sort)
      .limit(page.limit + 1)
      .lean<RunDocument[]>();
    return toPage(docs.map(runFromDocument), page.limit);
  }

  count(filter: RunFilter): Promise<number> {
    return this.model.countDocuments(this.toQuery(filter));
  }

  async listIds(filter: RunFilter): Promise<string[]> {
    const docs = await this.model.find(this.toQuery(filter), { _id: 1 }).sort({ createdAt: 1, _id: 1 }).lean<{ _id: string }[]>();
    return docs.map((d) => d._id);
  }

  async transition(id: string, change: StatusChange): Promise<Run | null> {
    const allowed = sourcesOf(change.to).filter((s) => !change.from || change.from.includes(s));
    if (allowed.length === 0) return null;
    // An update pipeline reads the old status ('$status') for the history entry in the same atomic write.
    // Values are wrapped in $literal so a string starting with '$' is never read as a field path.
    const literal = (value: unknown) => ({ $literal: value ?? null });
    const patch = Object.fromEntries(Object.entries(change.patch ?? {}).map(([key, value]) => [key, literal(value)]));
    const entry = { from: '$status', to: literal(change.to), at: literal(change.at), by: literal(change.by), reason: literal(change.reason) };
    const doc = await this.model
      .findOneAndUpdate(
        { _id: id, status: { $in: allowed } },
        [
          {
            $set: {
              ...patch,
              status: literal(change.to),
              updatedAt: literal(change.at),
              statusHistory: { $concatArrays: [{ $ifNull: ['$statusHistory', []] }, [entry]] },
            },
          },
        ],
        { returnDocument: 'after', updatePipeline: true },
      )
      .lean<RunDocument>();
    return doc ? runFromDocument(doc) : null;
  }

  async setHidden(id: string, hidden: boolean, at: Date): Promise<Run | null> {
    const doc = await this.model
      .findByIdAndUpdate(id, { $set: { hidden, updatedAt: at } }, { returnDocument: 'after' })
      .lean<RunDocument>();
    return doc ? runFromDocument(doc) : null;
  }

  async applyProjection(id: string, patch: RunProjectionPatch, at: Date): Promise<Run | null> {
    const literal = (value: unknown) => ({ $literal: value });
    // The newest value by event time wins; a missing field counts as older than anything.
    const newer = (field: string, stamp: string, value: unknown) => ({
      $cond: [
        { $or: [{ $eq: [{ $ifNull: [`$${field}`, null] }, null] }, { $lte: [`$${field}.${stamp}`, literal((value as Record<string, Date>)[stamp])] }] },
        literal(value),
        `$${field}`,
      ],
    });
    const set: Record<string, unknown> = {
      lastEventSeq: { $max: [{ $ifNull: ['$lastEventSeq', 0] }, patch.lastEventSeq] },
      updatedAt: { $max: ['$updatedAt', literal(at)] },
    };
    if (patch.lastHeartbeat) set.lastHeartbeat = { $max: ['$lastHeartbeat', literal(patch.lastHeartbeat)] };
    if (patch.currentStage) {
      // Same stage: merge per field, the newer side's fields winning; another stage: the newer one.
      const stored = '$currentStage';
      const given = literal(patch.currentStage);
      const storedIsOlder = { $lte: ['$currentStage.updatedAt', literal(patch.currentStage.updatedAt)] };
      set.currentStage = {
        $switch: {
          branches: [
            { case: { $eq: [{ $ifNull: [stored, null] }, null] }, then: given },
            {
              case: { $eq: ['$currentStage.name', literal(patch.currentStage.name)] },
              then: { $cond: [storedIsOlder, { $mergeObjects: [stored, given] }, { $mergeObjects: [given, stored] }] },
            },
            { case: storedIsOlder, then: given },
          ],
          default: stored,
        },
      };
    }
    if (patch.telemetry) set.telemetry = newer('telemetry', 'at', patch.telemetry);
    if (patch.pod) set.pod = newer('pod', 'at', patch.pod);
    if (patch.paper) set.paper = newer('paper', 'at', patch.paper);
    if (patch.completedAt) set.completedAt = { $ifNull: ['$completedAt', literal(patch.completedAt)] };
    const doc = await this.model
      .findOneAndUpdate({ _id: id }, [{ $set: set }], { returnDocument: 'after', updatePipeline: true })
      .lean<RunDocument>();
    return doc ? runFromDocument(doc) : null;
  }

  async mergeProvisioning(id: string, patch: Partial<RunProvisioning>, at: Date): Promise<Run | null> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: id },
        [{ $set: { provisioning: { $mergeObjects: [{ $ifNull: ['$provisioning', {}] }, { $literal: patch }] }, updatedAt: { $max: ['$updatedAt', at] } } }],
        { returnDocument: 'after', updatePipeline: true },
      )
      .lean<RunDocument>();
    return doc ? runFromDocument(doc) : null;
  }

  async claimWriteup(id: string, by: string, at: Date): Promise<Run | null> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: id, status: { $in: [RunStatus.FAILED, RunStatus.COMPLETED] }, $or: [{ writeup: null }, { 'writeup.active': false }] },
        [
          {
            $set: {
              writeup: {
                active: true,
                count: { $add: [{ $ifNull: ['$writeup.count', 0] }, 1] },
                requestedAt: { $literal: at },
                requestedBy: { $literal: by },
                finishedAt: null,
                outcome: null,
              },
              updatedAt: { $max: ['$updatedAt', at] },
            },
          },
        ],
        { returnDocument: 'after', updatePipeline: true },
      )
      .lean<RunDocument>();
    return doc ? runFromDocument(doc) : null;
  }

  async finishWriteup(id: string, outcome: string, at: Date): Promise<Run | null> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: id, writeup: { $ne: null } },
        { $set: { 'writeup.active': false, 'writeup.finishedAt': at, 'writeup.outcome': outcome }, $max: { updatedAt: at } },
        { returnDocument: 'after' },
      )
      .lean<RunDocument>();
    return doc ? runFromDocument(doc) : null;
  }

  async statistics(now: Date, limit: number): Promise<RunStatistics> {
    const day = new Date(now.getTime() - 24 * 3600 * 1000);
    const week = new Date(now.getTime() - 7 * 24 * 3600 * 1000);
    const finishedAt = { $ifNull: ['$completedAt', '$failedAt'] };
    // One round trip: every aggregate as a facet of one pipeline.
    const [result] = await this.model.aggregate<{
      byStatus: { _id: RunStatus; n: number }[];
      finished: { day: number; week: number }[];
      failures: { _id: string; n: number; last: Date }[];
      hypotheses: { _id: string; n: number; last: Date }[];
    }>([
      {
        $facet: {
          byStatus: [{ $group: { _id: '$status', n: { $sum: 1 } } }],
          finished: [
            { $match: { $expr: { $gte: [finishedAt, week] } } },
            { $group: { _id: null, day: { $sum: { $cond: [{ $gte: [finishedAt, day] }, 1, 0] } }, week: { $sum: 1 } } },
          ],
          failures: [
            { $match: { status: RunStatus.FAILED, errorType: { $ne: null } } },
            { $group: { _id: '$errorType', n: { $sum: 1 }, last: { $max: { $ifNull: ['$failedAt', '$updatedAt'] } } } },
            { $sort: { n: -1, last: -1 } },
            { $limit: limit },
          ],
          hypotheses: [
            { $match: { hidden: false } },
            { $group: { _id: '$hypothesisId', n: { $sum: 1 }, last: { $max: '$createdAt' } } },
            { $sort: { n: -1, last: -1 } },
            { $limit: limit },
          ],
        },
      },
    ]);
    return {
      byStatus: Object.fromEntries(result.byStatus.map((r) => [r._id, r.n])),
      finishedLast24h: result.finished[0]?.day ?? 0,
      finishedLast7d: result.finished[0]?.week ?? 0,
      failureReasons: result.failures.map((r) => ({ errorType: r._id, count: r.n, lastAt: r.last })),
      mostActiveHypotheses: result.hypotheses.map((r) => ({ hypothesisId: r._id, runCount: r.n, lastRunAt: r.last })),
    };
  }

  private toQuery(filter: RunFilter): Filter {
    const query: Filter = {};
    if (filter.statuses) query.status = { $in: [...filter.statuses] };
    if (filter.hypothesisId !== undefined) query.hypothesisId = filter.hypothesisId;
    if (filter.hidden !== undefined) query.hidden = filter.hidden;
    return query;
  }
}
