import { artifactOfAnotherRun, invalidArtifactKey } from '../artifacts.errors.js';

/** Longest object key accepted, in UTF-8 bytes (S3 allows 1024; we leave room for prefixes). */
export const MAX_KEY_BYTES = 512;
/** Longest path segment, in UTF-8 bytes: what common file systems allow for one name. */
export const MAX_SEGMENT_BYTES = 255;

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
// C0/C1 controls (NUL, CR, LF, ...), line/paragraph separators and bidi overrides (which disguise names).
const CONTROL = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u;
const LONE_SURROGATE = /\p{Surrogate}/u;
const ENCODED_SEPARATOR = /%(2f|5c)/i;
const PERCENT_ESCAPE = /%[0-9a-f]{2}/i;
const WINDOWS_DRIVE = /^[A-Za-z]:(?:\/|$)/;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * The object key of a run's artifact: `runs/<runId>/<path>`. Accepts a bare file name, a relative
 * path (`plots/loss.png`) or a full key already inside `runs/<runId>/`; returns it NFC-normalised.
 * Throws DomainError BAD_USER_INPUT (INVALID_ARTIFACT_KEY) naming the broken rule, or FORBIDDEN
 * (ARTIFACT_OF_ANOTHER_RUN) for a key inside another run's prefix.
 */
export function artifactKey(runId: string, keyOrFilename: string): string {
  if (!RUN_ID.test(runId)) throw invalidArtifactKey(runId, 'run-id', 'run id must be 1-64 letters, digits, "-" or "_"');
  const path = checkedPath(keyOrFilename);
  const segments = path.split('/');
  // Only `runs/<id>/<something>` is a full key; `runs/summary.txt` is a relative path like any other.
  if (segments[0] === 'runs' && segments.length > 2 && segments[1] !== runId) throw artifactOfAnotherRun(keyOrFilename, runId);
  const key = segments[0] === 'runs' && segments[1] === runId && segments.length > 2 ? path : `runs/${runId}/${path}`;
  if (bytes(key) > MAX_KEY_BYTES) {
    throw invalidArtifactKey(keyOrFilename, 'max-bytes', `the full key must be at most ${MAX_KEY_BYTES} bytes of UTF-8`);
  }
  return key;
}

/** The run a full object key belongs to, or null when the key is not `runs/<runId>/<path>`. */
export function runIdOfKey(key: string): string | null {
  const match = /^runs\/([^/]+)\/./s.exec(key);
  return match && RUN_ID.test(match[1]) ? match[1] : null;
}

/**
 * Validates and normalises a full object key (`runs/<runId>/<path>`) under the same rules as
 * artifactKey. What adapters and the signed-URL controller call before touching storage.
 */
export function assertObjectKey(key: string): string {
  const runId = typeof key === 'string' ? runIdOfKey(key) : null;
  if (!runId) throw invalidArtifactKey(String(key), 'run-prefix', 'object keys start with runs/<runId>/ followed by a path');
  return artifactKey(runId, key);
}

/** Validates a listing prefix: like a key, except that it may be empty or end with "/". */
export function assertKeyPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const trailingSlash = prefix.endsWith('/');
  const path = checkedPath(trailingSlash ? prefix.slice(0, -1) : prefix);
  const normalised = trailingSlash ? `${path}/` : path;
  if (bytes(normalised) > MAX_KEY_BYTES) throw invalidArtifactKey(prefix, 'max-bytes', `a prefix must be at most ${MAX_KEY_BYTES} bytes`);
  return normalised;
}

// Checks the path as given and once percent-decoded, so that `%2e%2e` cannot smuggle in `..` for
// whatever decodes it later; returns the NFC form of the path as given.
function checkedPath(input: string): string {
  if (typeof input !== 'string' || input === '') throw invalidArtifactKey(String(input), 'non-empty', 'must not be empty');
  if (LONE_SURROGATE.test(input)) throw invalidArtifactKey(input, 'unicode', 'must be valid Unicode (NFC-normalisable)');
  const path = input.normalize('NFC');
  checkSegments(input, path);
  if (ENCODED_SEPARATOR.test(path)) {
    throw invalidArtifactKey(input, 'encoded-separator', 'percent-encoded "/" or "\\" (%2F, %5C) is not allowed');
  }
  const decoded = decodeOnce(input, path);
  if (decoded !== path) {
    if (LONE_SURROGATE.test(decoded)) throw invalidArtifactKey(input, 'unicode', 'must be valid Unicode once percent-decoded');
    checkSegments(input, decoded.normalize('NFC'));
    if (PERCENT_ESCAPE.test(decoded)) throw invalidArtifactKey(input, 'double-encoding', 'must not be percent-encoded twice');
  }
  return path;
}

function checkSegments(input: string, path: string): void {
  if (CONTROL.test(path)) throw invalidArtifactKey(input, 'control-characters', 'control characters (NUL, CR, LF, ...) are not allowed');
  if (path.includes('\\')) throw invalidArtifactKey(input, 'backslash', 'backslashes are not allowed; separate folders with "/"');
  if (path.startsWith('/') || WINDOWS_DRIVE.test(path)) {
    throw invalidArtifactKey(input, 'relative', 'absolute paths are not allowed; give a path relative to the run');
  }
  for (const segment of path.split('/')) {
    if (segment === '') throw invalidArtifactKey(input, 'empty-segment', 'empty path segments ("a//b", a trailing "/") are not allowed');
    if (segment === '.') throw invalidArtifactKey(input, 'dot-segment', '"." segments are not allowed');
    if (segment === '..') throw invalidArtifactKey(input, 'dot-dot-segment', '".." segments are not allowed');
    if (bytes(segment) > MAX_SEGMENT_BYTES) {
      throw invalidArtifactKey(input, 'segment-bytes', `each path segment must be at most ${MAX_SEGMENT_BYTES} bytes of UTF-8`);
    }
  }
}

// Decodes runs of %XX escapes and leaves a lone "%" (as in "100%.png") alone.
function decodeOnce(input: string, path: string): string {
  return path.replace(/(?:%[0-9a-f]{2})+/gi, (escapes) => {
    try {
      return decodeURIComponent(escapes);
    } catch {
      throw invalidArtifactKey(input, 'percent-encoding', 'percent-escapes must encode valid UTF-8');
    }
  });
}
