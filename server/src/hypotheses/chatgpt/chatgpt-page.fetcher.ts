import { DomainError } from '../../common/errors/domain-error.js';
import { fetchFailed, fetchTimeout, notHtml, pageTooLarge, redirectRefused, shareNotAccessible, shareNotFound, tooManyRedirects } from './chatgpt.errors.js';

export interface FetchPageOptions {
  timeoutMs: number;
  maxBytes: number;
}

const MAX_REDIRECTS = 3;

// Share pages are served to browsers; a browser-like request is least likely to be turned away.
const HEADERS = {
  accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.1',
  'accept-language': 'en',
  'user-agent': 'Mozilla/5.0 (compatible; AI-Scientist-Orchestrator/1.0; +share-link-import)',
};

/**
 * Fetches a share page with a time limit over the whole exchange, a size cap enforced while
 * reading, and redirects followed by hand and only within the page's own origin: the request can
 * never be steered to another host (no server-side request forgery through redirects).
 */
export async function fetchSharePage(url: URL, options: FetchPageOptions): Promise<string> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  try {
    let current = url;
    for (let hop = 0; ; hop++) {
      const response = await fetch(current, { redirect: 'manual', signal: deadline, headers: HEADERS });
      if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
        await response.body?.cancel();
        const next = new URL(response.headers.get('location')!, current);
        if (next.origin !== url.origin) throw redirectRefused(url.href, next.href);
        if (hop >= MAX_REDIRECTS) throw tooManyRedirects(url.href, MAX_REDIRECTS);
        current = next;
        continue;
      }
      return await readPage(response, url.href, options.maxBytes);
    }
  } catch (error) {
    if (deadline.aborted) throw fetchTimeout(url.href, options.timeoutMs);
    if (error instanceof DomainError) throw error;
    throw fetchFailed(url.href, describe(error));
  }
}

async function readPage(response: Response, url: string, maxBytes: number): Promise<string> {
  const refusal = refusalOf(response, url, maxBytes);
  if (refusal) {
    await response.body?.cancel();
    throw refusal;
  }
  // The declared length may be absent or false: count while reading.
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw pageTooLarge(url, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// Why a response is no share page to read, judged from its status and headers; null when it is one.
function refusalOf(response: Response, url: string, maxBytes: number): DomainError | null {
  if (response.status === 404 || response.status === 410) return shareNotFound(url);
  if (response.status === 401 || response.status === 403) return shareNotAccessible(url, response.status);
  if (!response.ok) return fetchFailed(url, `HTTP ${response.status}`);
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType && !/^(text\/html|application\/xhtml\+xml)\b/i.test(contentType)) return notHtml(url, contentType.split(';')[0]);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) return pageTooLarge(url, maxBytes);
  return null;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
