/** Domain types of a ChatGPT share-link import: the page is fetched and read by a job, then a hypothesis is created. */

export enum ExtractionStatus {
  PENDING = 'PENDING',
  EXTRACTING = 'EXTRACTING',
  COMPLETED = 'COMPLETED',
  FAILED = 'FAILED',
}

/** How the page's conversation was found. */
export enum ChatGptPageFormat {
  /** Next.js pages: `<script id="__NEXT_DATA__">` with props.pageProps.serverResponse.data. */
  NEXT_DATA = 'NEXT_DATA',
  /** React Router pages: turbo-stream payloads in `window.__reactRouterContext.streamController.enqueue(...)`. */
  REACT_ROUTER_STREAM = 'REACT_ROUTER_STREAM',
  /** Neither: the rendered message elements of the HTML. */
  RENDERED_HTML = 'RENDERED_HTML',
}

/** How title and idea were made from the transcript. */
export enum ExtractionMethod {
  /** The configured LLM read the transcript. */
  LLM = 'LLM',
  /** No LLM: the conversation's title and its first user message, verbatim. */
  PLAIN = 'PLAIN',
}

export interface ChatGptMessage {
  role: 'user' | 'assistant';
  text: string;
}

/** What one share page says. */
export interface ChatGptConversation {
  title: string | null;
  messages: ChatGptMessage[];
  format: ChatGptPageFormat;
}

/** A hypothesis drawn from a conversation. */
export interface ChatGptExtraction {
  title: string;
  idea: string;
  transcript: ChatGptMessage[];
  format: ChatGptPageFormat;
  method: ExtractionMethod;
  /** The model that read the transcript (method LLM). */
  model: string | null;
}

export interface ChatGptImport {
  id: string;
  /** The share URL, normalised (https://host/share/<id>). */
  url: string;
  status: ExtractionStatus;
  enableIdeation: boolean;
  reflections: number;
  autoLaunch: boolean;
  createdBy: string;
  /** The created hypothesis (its id is this import's id). */
  hypothesisId: string | null;
  format: ChatGptPageFormat | null;
  method: ExtractionMethod | null;
  messageCount: number | null;
  attempts: number;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: Date;
  updatedAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
}

export type ChatGptImportUpdate = Partial<
  Pick<ChatGptImport, 'hypothesisId' | 'format' | 'method' | 'messageCount' | 'attempts' | 'errorCode' | 'errorMessage' | 'startedAt' | 'completedAt'>
> & { status: ExtractionStatus; updatedAt: Date };

export function newChatGptImport(
  fields: Pick<ChatGptImport, 'id' | 'url' | 'enableIdeation' | 'reflections' | 'autoLaunch' | 'createdBy' | 'createdAt'>,
): ChatGptImport {
  return {
    status: ExtractionStatus.PENDING,
    hypothesisId: null,
    format: null,
    method: null,
    messageCount: null,
    attempts: 0,
    errorCode: null,
    errorMessage: null,
    updatedAt: fields.createdAt,
    startedAt: null,
    completedAt: null,
    ...fields,
  };
}
