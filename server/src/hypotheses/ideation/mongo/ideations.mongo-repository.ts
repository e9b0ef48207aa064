import type { Connection, Model, QueryFilter } from 'mongoose';
import { Page, PageRequest, toPage } from '../../../common/pagination/cursor.js';
import { keyset } from '../../../infra/persistence/mongo/keyset.js';
import { modelOf } from '../../../infra/persistence/mongo/model.js';
import { idsByStatus, updateWhereStatusIn } from '../../../infra/persistence/mongo/status-records.js';
import type { IdeationStatus } from '../../hypothesis.js';
import { emptyIdeationCounts, type IdeationCounts, type IdeationRequest, type IdeationUpdate } from '../ideation-request.js';
import type { IdeationFilter, IdeationsRepository } from '../ideations.repository.js';
import { ideationFromDocument, IdeationRequestDocument, IdeationRequestSchema } from './ideation-request.schema.js';

export class MongoIdeationsRepository implements IdeationsRepository {
  private readonly model: Model<IdeationRequestDocument>;

  constructor(connection: Connection) {
    this.model = modelOf<IdeationRequestDocument>(connection, 'IdeationRequest', IdeationRequestSchema);
  }

  async insert(request: IdeationRequest): Promise<IdeationRequest> {
    const { id, ...rest } = request;
    await this.model.collection.insertOne({ _id: id, ...rest } as never);
    return request;
  }

  async findById(id: string): Promise<IdeationRequest | null> {
    const doc = await this.model.findById(id).lean<IdeationRequestDocument>();
    return doc ? ideationFromDocument(doc) : null;
  }

  async list(filter: IdeationFilter, page: PageRequest): Promise<Page<IdeationRequest>> {
    const paging = keyset(page);
    const docs = await this.model
      .find({ $and: [toQuery(filter), paging.filter] } as QueryFilter<IdeationRequestDocument>)
      .sort(paging.sort)
      .limit(page.limit + 1)
      .lean<IdeationRequestDocument[]>();
    return toPage(docs.map(ideationFromDocument), page.limit);
  }

  count(filter: IdeationFilter): Promise<number> {
    return this.model.countDocuments(toQuery(filter));
  }

  async countByStatus(filter: Omit<IdeationFilter, 'status'>): Promise<IdeationCounts> {
    const rows = await this.model.aggregate<{ _id: IdeationStatus; n: number }>([
      { $match: toQuery(filter) },
      { $group: { _id: '$status', n: { $sum: 1 } } },
    ]);
    const counts = emptyIdeationCounts();
    for (const row of rows) counts[row._id] = row.n;
    return counts;
  }

  async update(id: string, from: readonly IdeationStatus[], update: IdeationUpdate): Promise<IdeationRequest | null> {
    const doc = await updateWhereStatusIn(this.model, id, from, update);
    return doc ? ideationFromDocument(doc) : null;
  }

  async listIdsByStatus(statuses: readonly IdeationStatus[]): Promise<string[]> {
    return idsByStatus(this.model, statuses);
  }
}

function toQuery(filter: IdeationFilter): Record<string, unknown> {
  return {
    ...(filter.status !== undefined ? { status: filter.status } : {}),
    ...(filter.hypothesisId !== undefined ? { hypothesisId: filter.hypothesisId } : {}),
  };
}
