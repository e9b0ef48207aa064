import type { Connection, Model, QueryFilter } from 'mongoose';
import { SortDirection } from '../../common/pagination/cursor.js';
import { isDuplicateKey } from '../../infra/persistence/mongo/keyset.js';
import { modelOf } from '../../infra/persistence/mongo/model.js';
import type { IncomingEvent, StoredEvent } from '../event.js';
import { numbered, splitDuplicates } from '../event.js';
import type { EventPositions, EventQuery, EventsRepository } from '../events.repository.js';
import {
  EventDocument,
  eventFromDocument,
  EventPositionsDocument,
  EventPositionsSchema,
  EventSchema,
  eventToDocument,
} from './event.schema.js';

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class MongoEventsRepository implements EventsRepository {
  private readonly events: Model<EventDocument>;
  private readonly positionsModel: Model<EventPositionsDocument>;

  constructor(connection: Connection) {
    this.events = modelOf<EventDocument>(connection, 'Event', EventSchema);
    this.positionsModel = modelOf<EventPositionsDocument>(connection, 'EventPositions', EventPositionsSchema);
  }

  // Callers serialise appends per run (the run lock), so positions are handed out in storing order.
  async append(runId: string, events: readonly IncomingEvent[], receivedAt: Date) {
    const ids = [...new Set(events.map((e) => e.id))];
    const existing = new Set((await this.events.find({ _id: { $in: ids } }, { _id: 1 }).lean<{ _id: string }[]>()).map((d) => d._id));
    const { fresh, duplicateIds } = splitDuplicates(events, existing);
    if (fresh.length === 0) return { stored: [], duplicateIds };
    const positions = await this.positionsModel
      .findOneAndUpdate({ _id: runId }, { $inc: { lastSeq: fresh.length }, $setOnInsert: { appliedSeq: 0 } }, { upsert: true, returnDocument: 'after' })
      .lean<EventPositionsDocument>();
    const stored = numbered(fresh, positions.lastSeq - fresh.length + 1, receivedAt);
    try {
      await this.events.collection.insertMany(stored.map(eventToDocument) as never[], { ordered: false });
      return { stored, duplicateIds };
    } catch (error) {
      // Another writer stored some of these ids meanwhile: theirs stands, ours are duplicates.
      const failed = new Set(
        ((error as { writeErrors?: { index: number; code: number }[] }).writeErrors ?? [])
          .filter((e) => e.code === 11000)
          .map((e) => e.index),
      );
      if (!isDuplicateKey(error) && failed.size === 0) throw error;
      return {
        stored: stored.filter((_, i) => !failed.has(i)),
        duplicateIds: [...duplicateIds, ...stored.filter((_, i) => failed.has(i)).map((e) => e.id)],
      };
    }
  }

  async positions(runId: string): Promise<EventPositions> {
    const doc = await this.positionsModel.findById(runId).lean<EventPositionsDocument>();
    return { lastSeq: doc?.lastSeq ?? 0, appliedSeq: doc?.appliedSeq ?? 0 };
  }

  async listAfter(runId: string, afterSeq: number, limit: number): Promise<StoredEvent[]> {
    const docs = await this.events.find({ runId, seq: { $gt: afterSeq } }).sort({ seq: 1 }).limit(limit).lean<EventDocument[]>();
    return docs.map(eventFromDocument);
  }

  async markApplied(runId: string, expectedAppliedSeq: number, appliedSeq: number): Promise<boolean> {
    const result = await this.positionsModel.updateOne(
      { _id: runId, appliedSeq: expectedAppliedSeq, lastSeq: { $gte: appliedSeq } },
      { $set: { appliedSeq } },
    );
    return result.modifiedCount === 1;
  }

  async runsWithPendingProjection(): Promise<string[]> {
    const docs = await this.positionsModel.find({ $expr: { $lt: ['$appliedSeq', '$lastSeq'] } }, { _id: 1 }).lean<{ _id: string }[]>();
    return docs.map((d) => d._id);
  }

  async setOutcomes(runId: string, outcomes: readonly { seq: number; outcome: string }[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.events.bulkWrite(
      outcomes.map((o) => ({ updateOne: { filter: { runId, seq: o.seq, outcome: null }, update: { $set: { outcome: o.outcome } } } })),
    );
  }

  async list(runId: string, query: EventQuery): Promise<{ items: StoredEvent[]; hasMore: boolean }> {
    const filter = this.filter(runId, query);
    const seq: Record<string, number> = {};
    if (query.afterSeq !== undefined) seq.$gt = query.afterSeq;
    if (query.beforeSeq !== undefined) seq.$lt = query.beforeSeq;
    if (Object.keys(seq).length > 0) filter.seq = seq;
    const docs = await this.events
      .find(filter)
      .sort({ seq: query.direction === SortDirection.ASC ? 1 : -1 })
      .limit(query.limit + 1)
      .lean<EventDocument[]>();
    return { items: docs.slice(0, query.limit).map(eventFromDocument), hasMore: docs.length > query.limit };
  }

  count(runId: string, query: Omit<EventQuery, 'limit' | 'direction' | 'afterSeq' | 'beforeSeq'>): Promise<number> {
    return this.events.countDocuments(this.filter(runId, query));
  }

  private filter(runId: string, query: Pick<EventQuery, 'types' | 'levels' | 'search'>): QueryFilter<EventDocument> & Record<string, unknown> {
    const filter: Record<string, unknown> = { runId };
    if (query.types) filter.type = { $in: [...query.types] };
    if (query.levels) filter.level = { $in: [...query.levels] };
    if (query.search) filter.message = { $regex: escapeRegex(query.search), $options: 'i' };
    return filter;
  }
}
