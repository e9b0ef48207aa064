import type { Connection, Model } from 'mongoose';
import { isDuplicateKey } from '../../infra/persistence/mongo/keyset.js';
import { modelOf } from '../../infra/persistence/mongo/model.js';
import { idsByStatus, updateWhereStatusIn } from '../../infra/persistence/mongo/status-records.js';
import type { PaperAnalysesRepository } from '../paper-analyses.repository.js';
import type { PaperAnalysis, PaperAnalysisStatus, PaperAnalysisUpdate } from '../paper-analysis.js';
import { PaperAnalysisDocument, paperAnalysisFromDocument, PaperAnalysisSchema } from './paper-analysis.schema.js';

// Two requests for one run racing: the loser reads again and sees the winner's analysis.
const REPLACE_ATTEMPTS = 5;

export class MongoPaperAnalysesRepository implements PaperAnalysesRepository {
  private readonly model: Model<PaperAnalysisDocument>;

  constructor(connection: Connection) {
    this.model = modelOf<PaperAnalysisDocument>(connection, 'PaperAnalysis', PaperAnalysisSchema);
  }

  async replaceCurrent(analysis: PaperAnalysis, unlessCurrentIn: readonly PaperAnalysisStatus[]): Promise<PaperAnalysis | null> {
    const { id, ...rest } = { ...analysis, current: true };
    for (let attempt = 1; ; attempt++) {
      const previous = await this.model.findOne({ runId: analysis.runId, current: true }).lean<PaperAnalysisDocument>();
      if (previous && unlessCurrentIn.includes(previous.status)) return null;
      if (previous) {
        // Only the state we read: a concurrent change makes us read again.
        const superseded = await this.model.updateOne(
          { _id: previous._id, current: true, status: previous.status },
          { $set: { current: false, supersededAt: analysis.createdAt } },
        );
        if (superseded.modifiedCount === 0 && attempt < REPLACE_ATTEMPTS) continue;
      }
      try {
        await this.model.collection.insertOne({ _id: id, ...rest } as never);
        return { ...analysis, current: true };
      } catch (error) {
        if (!isDuplicateKey(error) || attempt >= REPLACE_ATTEMPTS) throw error;
      }
    }
  }

  async findById(id: string): Promise<PaperAnalysis | null> {
    const doc = await this.model.findById(id).lean<PaperAnalysisDocument>();
    return doc ? paperAnalysisFromDocument(doc) : null;
  }

  async findCurrent(runId: string): Promise<PaperAnalysis | null> {
    const doc = await this.model.findOne({ runId, current: true }).lean<PaperAnalysisDocument>();
    return doc ? paperAnalysisFromDocument(doc) : null;
  }

  async findCurrentOfRuns(runIds: readonly string[]): Promise<PaperAnalysis[]> {
    if (runIds.length === 0) return [];
    const docs = await this.model.find({ runId: { $in: runIds }, current: true }).lean<PaperAnalysisDocument[]>();
    return docs.map(paperAnalysisFromDocument);
  }

  async listHistory(runId: string): Promise<PaperAnalysis[]> {
    const docs = await this.model.find({ runId, current: false }).sort({ createdAt: -1, _id: -1 }).lean<PaperAnalysisDocument[]>();
    return docs.map(paperAnalysisFromDocument);
  }

  async update(id: string, from: readonly PaperAnalysisStatus[], update: PaperAnalysisUpdate): Promise<PaperAnalysis | null> {
    const doc = await updateWhereStatusIn(this.model, id, from, update);
    return doc ? paperAnalysisFromDocument(doc) : null;
  }

  async listIdsByStatus(statuses: readonly PaperAnalysisStatus[]): Promise<string[]> {
    return idsByStatus(this.model, statuses);
  }
}
