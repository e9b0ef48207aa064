import type Database from 'better-sqlite3';
import { fromMs, toBit, toMs } from '../../../infra/persistence/sqlite/codec.js';
import { idsByStatus, updateWhereStatusIn, type UpdateColumns } from '../../../infra/persistence/sqlite/status-records.js';
import type { ChatGptImport, ChatGptImportUpdate, ChatGptPageFormat, ExtractionMethod, ExtractionStatus } from '../chatgpt-import.js';
import type { ChatGptImportsRepository } from '../chatgpt-imports.repository.js';

interface ChatGptImportRow {
  id: string;
  url: string;
  status: string;
  enable_ideation: number;
  reflections: number;
  auto_launch: number;
  created_by: string;
  hypothesis_id: string | null;
  format: string | null;
  method: string | null;
  message_count: number | null;
  attempts: number;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  completed_at: number | null;
}

function fromRow(row: ChatGptImportRow): ChatGptImport {
  return {
    id: row.id,
    url: row.url,
    status: row.status as ExtractionStatus,
    enableIdeation: row.enable_ideation === 1,
    reflections: row.reflections,
    autoLaunch: row.auto_launch === 1,
    createdBy: row.created_by,
    hypothesisId: row.hypothesis_id,
    format: row.format as ChatGptPageFormat | null,
    method: row.method as ExtractionMethod | null,
    messageCount: row.message_count,
    attempts: row.attempts,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    startedAt: fromMs(row.started_at),
    completedAt: fromMs(row.completed_at),
  };
}

function toRow(i: ChatGptImport): ChatGptImportRow {
  return {
    id: i.id,
    url: i.url,
    status: i.status,
    enable_ideation: toBit(i.enableIdeation),
    reflections: i.reflections,
    auto_launch: toBit(i.autoLaunch),
    created_by: i.createdBy,
    hypothesis_id: i.hypothesisId,
    format: i.format,
    method: i.method,
    message_count: i.messageCount,
    attempts: i.attempts,
    error_code: i.errorCode,
    error_message: i.errorMessage,
    created_at: i.createdAt.getTime(),
    updated_at: i.updatedAt.getTime(),
    started_at: toMs(i.startedAt),
    completed_at: toMs(i.completedAt),
  };
}

const UPDATE_COLUMNS: UpdateColumns<ChatGptImportUpdate> = {
  status: ['status', (v) => v],
  updatedAt: ['updated_at', (v) => v.getTime()],
  hypothesisId: ['hypothesis_id', (v) => v ?? null],
  format: ['format', (v) => v ?? null],
  method: ['method', (v) => v ?? null],
  messageCount: ['message_count', (v) => v ?? null],
  attempts: ['attempts', (v) => v],
  errorCode: ['error_code', (v) => v ?? null],
  errorMessage: ['error_message', (v) => v ?? null],
  startedAt: ['started_at', toMs],
  completedAt: ['completed_at', toMs],
};

export class SqliteChatGptImportsRepository implements ChatGptImportsRepository {
  private readonly insertStatement;

  constructor(private readonly db: Database.Database) {
    this.insertStatement = db.prepare<ChatGptImportRow>(
      `INSERT INTO chatgpt_imports (id, url, status, enable_ideation, reflections, auto_launch, created_by, hypothesis_id, format, method,
         message_count, attempts, error_code, error_message, created_at, updated_at, started_at, completed_at)
       VALUES (@id, @url, @status, @enable_ideation, @reflections, @auto_launch, @created_by, @hypothesis_id, @format, @method,
         @message_count, @attempts, @error_code, @error_message, @created_at, @updated_at, @started_at, @completed_at)`,
    );
  }

  async insert(request: ChatGptImport): Promise<ChatGptImport> {
    this.insertStatement.run(toRow(request));
    return request;
  }

  async findById(id: string): Promise<ChatGptImport | null> {
    const row = this.db.prepare<[string], ChatGptImportRow>('SELECT * FROM chatgpt_imports WHERE id = ?').get(id);
    return row ? fromRow(row) : null;
  }

  async update(id: string, from: readonly ExtractionStatus[], update: ChatGptImportUpdate): Promise<ChatGptImport | null> {
    const row = updateWhereStatusIn<ChatGptImportUpdate, ChatGptImportRow>(this.db, 'chatgpt_imports', UPDATE_COLUMNS, id, from, update);
    return row ? fromRow(row) : null;
  }

  async listIdsByStatus(statuses: readonly ExtractionStatus[]): Promise<string[]> {
    return idsByStatus(this.db, 'chatgpt_imports', statuses);
  }
}
