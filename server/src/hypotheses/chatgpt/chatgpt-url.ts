import { invalidShareUrl } from './chatgpt.errors.js';

/** The only origins share pages are fetched from (plus CHATGPT_TEST_ORIGINS in tests). */
export const CHATGPT_ORIGINS: readonly string[] = ['https://chatgpt.com', 'https://chat.openai.com'];

const MAX_URL_LENGTH = 2048;
const SHARE_PATH = /^\/share\/([A-Za-z0-9][A-Za-z0-9_-]{7,99})\/?$/;

/**
 * Checks a share link against the rules (https, host exactly chatgpt.com or chat.openai.com, path
 * /share/<id>, no credentials) and returns it normalised (no query, no fragment).
 */
export function parseShareUrl(input: string, extraOrigins: readonly string[] = []): URL {
  if (input.length > MAX_URL_LENGTH) throw invalidShareUrl('url', `longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw invalidShareUrl('url', `${JSON.stringify(input.slice(0, 200))} is not a URL`);
  }
  if (url.username || url.password) throw invalidShareUrl('credentials', 'the URL carries credentials');
  const allowed = [...CHATGPT_ORIGINS, ...extraOrigins];
  if (!allowed.includes(url.origin)) {
    if (url.protocol !== 'https:') throw invalidShareUrl('https', `${url.protocol.replace(':', '')} is not allowed; share links use https`);
    throw invalidShareUrl('host', `${url.host} is not chatgpt.com or chat.openai.com`);
  }
  const match = SHARE_PATH.exec(url.pathname);
  if (!match) throw invalidShareUrl('path', `the path must be /share/<id> (got ${JSON.stringify(url.pathname.slice(0, 200))})`);
  return new URL(`${url.origin}/share/${match[1]}`);
}
