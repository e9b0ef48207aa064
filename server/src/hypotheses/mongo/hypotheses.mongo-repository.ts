import { modelOf } from '../../infra/persistence/mongo/model.js';
import type { Connection, Model, QueryFilter } from 'mongoose';
import { Page, PageRequest, toPage } from '../../common/pagination/cursor.js';
import { keyset } from '../../infra/persistence/mongo/keyset.js';
import { HypothesesRepository, HypothesisFilter } from '../hypotheses.repository.js';
import { Hypothesis, HypothesisIdeation, IdeaJson } from '../hypothesis.js';
import { HypothesisDocument, hypothesisFromDocument, HypothesisSchema } from './hypothesis.schema.js';

export class MongoHypothesesRepository implements HypothesesRepository {
  private readonly model: Model<HypothesisDocument>;

  constructor(connection: Connection) {
    this.model = modelOf<HypothesisDocument>(connection, 'Hypothesis', HypothesisSchema);
  }

  async insert(hypothesis: Hypothesis): Promise<Hypothesis> {
    const { id, ...rest } = hypothesis;
    await this.model.collection.insertOne({ _id: id, ...rest } as never);
    return hypothesis;
  }

  async findById(id: string): Promise<Hypothesis | null> {
    const doc = await this.model.findById(id).lean<HypothesisDocument>();
    return doc ? hypothesisFromDocument(doc) : null;
  }

  async findByIds(ids: readonly string[]): Promise<Hypothesis[]> {
    if (ids.length === 0) return [];
    const docs = await this.model.find({ _id: { $in: ids } }).lean<HypothesisDocument[]>();
    return docs.map(hypothesisFromDocument);
  }

  async list(filter: HypothesisFilter, page: PageRequest): Promise<Page<Hypothesis>> {
    const paging = keyset(page);
    const docs = await this.model
      .find({ $and: [this.toQuery(filter), paging.filter] } as QueryFilter<HypothesisDocument>)
      .sort(paging.sort)
      .limit(page.limit + 1)
      .lean<HypothesisDocument[]>();
    return toPage(docs.map(hypothesisFromDocument), page.limit);
  }

  count(filter: HypothesisFilter): Promise<number> {
    return this.model.countDocuments(this.toQuery(filter));
  }

  async setHidden(id: string, hidden: boolean, at: Date): Promise<Hypothesis | null> {
    const doc = await this.model
      .findByIdAndUpdate(id, { $set: { hidden, updatedAt: at } }, { returnDocument: 'after' })
      .lean<HypothesisDocument>();
    return doc ? hypothesisFromDocument(doc) : null;
  }

  async setIdeation(id: string, ideation: HypothesisIdeation, at: Date, ideaJson?: IdeaJson): Promise<Hypothesis | null> {
    const set = { ideation, updatedAt: at, ...(ideaJson !== undefined ? { ideaJson } : {}) };
    const doc = await this.model.findByIdAndUpdate(id, { $set: set }, { returnDocument: 'after' }).lean<HypothesisDocument>();
    return doc ? hypothesisFromDocument(doc) : null;
  }

  private toQuery(filter: HypothesisFilter) {
    return filter.hidden === undefined ? {} : { hidden: filter.hidden };
  }
}
