import { posix } from 'node:path';
import { invalidContentType } from '../artifacts.errors.js';

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(?:\\s*;\\s*${TOKEN}=(?:${TOKEN}|"[^"\\\\\\u0000-\\u001f\\u007f]*"))*$`);

/** Validates a media type (`type/subtype[; param=value]`) given by a client; null and "" mean none. */
export function assertContentType(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const trimmed = value.trim();
  if (trimmed.length > 255 || !MEDIA_TYPE.test(trimmed)) throw invalidContentType(value);
  return trimmed;
}

/** The media type without parameters, lower-cased: `Text/HTML; charset=utf-8` -> `text/html`. */
export const essenceOf = (contentType: string) => contentType.split(';')[0].trim().toLowerCase();

const BY_EXTENSION: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
  json: 'application/json',
  jsonl: 'application/x-ndjson',
  txt: 'text/plain',
  log: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  html: 'text/html',
  tex: 'application/x-tex',
  bib: 'text/x-bibtex',
  py: 'text/x-python',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  npy: 'application/octet-stream',
};

/** A media type guessed from the key's extension, or null when it is not a common artifact type. */
export function guessContentType(key: string): string | null {
  const extension = posix.extname(key).slice(1).toLowerCase();
  return BY_EXTENSION[extension] ?? null;
}

// Shown inline only when the browser cannot run script from them: never HTML or SVG.
const INLINE_SAFE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/avif', 'application/pdf']);

export const isInlineSafe = (contentType: string | null) => contentType !== null && INLINE_SAFE.has(essenceOf(contentType));

/** The file name a download is offered under: the given name's last segment, or the key's. */
export function downloadNameOf(key: string, downloadName?: string | null): string {
  const cleaned = (downloadName ?? '')
    .replace(/\p{Cc}|\p{Surrogate}/gu, '')
    .split(/[/\\]/)
    .pop()
    ?.trim();
  return cleaned || posix.basename(key);
}

/** RFC 6266 Content-Disposition with an ASCII `filename` fallback and the exact name in `filename*`. */
export function contentDisposition(filename: string, inline: boolean): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  // RFC 8187 attr-char excludes the characters encodeURIComponent leaves alone: ' ( ) *
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? 'inline' : 'attachment'}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
