import { DomainError, ErrorKind } from '../../common/errors/domain-error.js';

export enum ChatGptErrorCode {
  InvalidShareUrl = 'CHATGPT_URL_INVALID',
  RedirectRefused = 'CHATGPT_REDIRECT_REFUSED',
  TooManyRedirects = 'CHATGPT_TOO_MANY_REDIRECTS',
  FetchTimeout = 'CHATGPT_FETCH_TIMEOUT',
  FetchFailed = 'CHATGPT_FETCH_FAILED',
  ShareNotFound = 'CHATGPT_SHARE_NOT_FOUND',
  ShareNotAccessible = 'CHATGPT_SHARE_NOT_ACCESSIBLE',
  PageTooLarge = 'CHATGPT_PAGE_TOO_LARGE',
  NotHtml = 'CHATGPT_NOT_HTML',
  ConversationNotFound = 'CHATGPT_CONVERSATION_NOT_FOUND',
  ImportNotFound = 'CHATGPT_IMPORT_NOT_FOUND',
}

export const invalidShareUrl = (rule: 'url' | 'https' | 'host' | 'path' | 'credentials', message: string) =>
  new DomainError(ErrorKind.BadUserInput, ChatGptErrorCode.InvalidShareUrl, `Not a ChatGPT share link: ${message}`, { field: 'url', rule });

export const redirectRefused = (from: string, to: string) =>
  new DomainError(
    ErrorKind.Forbidden,
    ChatGptErrorCode.RedirectRefused,
    `The share page ${from} redirects to ${to}, another site; only redirects within the same site are followed`,
    { from, to },
  );

export const tooManyRedirects = (url: string, max: number) =>
  new DomainError(ErrorKind.Unavailable, ChatGptErrorCode.TooManyRedirects, `The share page ${url} redirected more than ${max} times`, { url });

export const fetchTimeout = (url: string, timeoutMs: number) =>
  new DomainError(ErrorKind.Unavailable, ChatGptErrorCode.FetchTimeout, `The share page ${url} did not arrive within ${timeoutMs} ms`, {
    url,
    timeoutMs,
  });

export const fetchFailed = (url: string, cause: string) =>
  new DomainError(ErrorKind.Unavailable, ChatGptErrorCode.FetchFailed, `The share page ${url} could not be fetched: ${cause}`, { url });

export const shareNotFound = (url: string) =>
  new DomainError(ErrorKind.NotFound, ChatGptErrorCode.ShareNotFound, `There is no shared conversation at ${url} (HTTP 404)`, { url });

export const shareNotAccessible = (url: string, status: number) =>
  new DomainError(
    ErrorKind.Forbidden,
    ChatGptErrorCode.ShareNotAccessible,
    `The shared conversation at ${url} is not accessible (HTTP ${status}): it may be private, deleted or blocked for automated requests`,
    { url, status },
  );

export const pageTooLarge = (url: string, maxBytes: number) =>
  new DomainError(ErrorKind.PayloadTooLarge, ChatGptErrorCode.PageTooLarge, `The share page ${url} is larger than ${maxBytes} bytes`, {
    url,
    maxBytes,
  });

export const notHtml = (url: string, contentType: string) =>
  new DomainError(ErrorKind.Conflict, ChatGptErrorCode.NotHtml, `The share link ${url} answered ${contentType}, not an HTML page`, { url });

export const conversationNotFound = (url: string, why: string) =>
  new DomainError(ErrorKind.Conflict, ChatGptErrorCode.ConversationNotFound, `No conversation could be read from ${url}: ${why}`, { url });

export const chatGptImportNotFound = (importId: string) =>
  new DomainError(ErrorKind.NotFound, ChatGptErrorCode.ImportNotFound, `ChatGPT import ${importId} not found`, { importId });
