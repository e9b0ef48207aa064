import type { ChatGptImport, ChatGptImportUpdate, ExtractionStatus } from './chatgpt-import.js';

export const CHATGPT_IMPORTS_REPOSITORY = Symbol('CHATGPT_IMPORTS_REPOSITORY');

/** Port for ChatGPT imports; kept honest by test/contract/chatgpt-imports.repository.contract.ts. */
export interface ChatGptImportsRepository {
  insert(request: ChatGptImport): Promise<ChatGptImport>;
  findById(id: string): Promise<ChatGptImport | null>;
  /** Compare-and-set: applies the update only while the status is one of `from`; null otherwise. */
  update(id: string, from: readonly ExtractionStatus[], update: ChatGptImportUpdate): Promise<ChatGptImport | null>;
  /** Ids of imports in the given statuses, oldest first (to re-queue lost jobs at start-up). */
  listIdsByStatus(statuses: readonly ExtractionStatus[]): Promise<string[]>;
}
