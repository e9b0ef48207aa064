import type { Connection, Model } from 'mongoose';
import { modelOf } from '../../../infra/persistence/mongo/model.js';
import { idsByStatus, updateWhereStatusIn } from '../../../infra/persistence/mongo/status-records.js';
import type { ChatGptImport, ChatGptImportUpdate, ExtractionStatus } from '../chatgpt-import.js';
import type { ChatGptImportsRepository } from '../chatgpt-imports.repository.js';
import { ChatGptImportDocument, chatGptImportFromDocument, ChatGptImportSchema } from './chatgpt-import.schema.js';

export class MongoChatGptImportsRepository implements ChatGptImportsRepository {
  private readonly model: Model<ChatGptImportDocument>;

  constructor(connection: Connection) {
    this.model = modelOf<ChatGptImportDocument>(connection, 'ChatGptImport', ChatGptImportSchema);
  }

  async insert(request: ChatGptImport): Promise<ChatGptImport> {
    const { id, ...rest } = request;
    await this.model.collection.insertOne({ _id: id, ...rest } as never);
    return request;
  }

  async findById(id: string): Promise<ChatGptImport | null> {
    const doc = await this.model.findById(id).lean<ChatGptImportDocument>();
    return doc ? chatGptImportFromDocument(doc) : null;
  }

  async update(id: string, from: readonly ExtractionStatus[], update: ChatGptImportUpdate): Promise<ChatGptImport | null> {
    const doc = await updateWhereStatusIn(this.model, id, from, update);
    return doc ? chatGptImportFromDocument(doc) : null;
  }

  async listIdsByStatus(statuses: readonly ExtractionStatus[]): Promise<string[]> {
    return idsByStatus(this.model, statuses);
  }
}
