import type { ChatGptImport } from './chatgpt-import.js';

/** Redis pub/sub topic of ChatGPT imports and its payload. */
export const ChatGptImportsTopics = {
  /** One import after a change (extracting, completed, failed or pending again); one topic per import. */
  updated: (importId: string) => `chatgpt-imports.updated.${importId}`,
} as const;

export interface ChatGptImportChangedPayload {
  import: ChatGptImport;
}
