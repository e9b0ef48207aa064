import { createHash, randomUUID } from 'node:crypto';
import { constants, createWriteStream, type Stats } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, rm, rmdir, stat, unlink, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { dirname, join, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  contentTypeMismatch,
  invalidArtifactKey,
  invalidExpiry,
  keyConflict,
  objectNotFound,
  objectTooLarge,
} from '../../artifacts.errors.js';
import { assertKeyPrefix, assertObjectKey } from '../artifact-key.js';
import { assertContentType, contentDisposition, downloadNameOf, guessContentType, isInlineSafe } from '../content-headers.js';
import {
  type DownloadOptions,
  MAX_PRESIGN_EXPIRY_S,
  type ObjectStorage,
  type PresignedUrl,
  type PresignGetOptions,
  type PresignPutOptions,
  type StoredObject,
} from '../object-storage.js';
import { type StorageGrant, UrlSigner } from './url-signer.js';

export interface FsObjectStorageOptions {
  /** Directory owned by the adapter: objects/, meta/ and uploads/ live below it. */
  dir: string;
  /**
   * Base URL clients reach this server at, e.g. http://127.0.0.1:3000 (signed URLs point there); a
   * function is asked at every presign, for a server whose port is known only once it listens.
   */
  publicBaseUrl: string | (() => string);
  /** HMAC-SHA256 key of signed URLs, at least 32 bytes (see loadOrCreateSigningSecret). */
  secret: Buffer;
  /** Largest body a signed PUT URL accepts; larger uploads get 413. */
  maxPutBytes: number;
  /** Clock in milliseconds; tests move it. */
  now?: () => number;
}

/** Path (without leading slash) under which FsStorageController serves signed URLs. */
export const STORAGE_ROUTE = 'api/storage';

/** A signed download ready to stream: the object, its bytes and the response headers. */
export interface SignedDownload {
  object: StoredObject;
  stream: Readable;
  headers: Record<string, string>;
}

// What S3 keeps per object and a file system does not; `ino` ties it to one write of the file.
interface Sidecar {
  contentType: string | null;
  etag: string;
  size: number;
  ino: number;
}

// Uploads interrupted by a crash are swept at start-up once this old.
const STALE_UPLOAD_MS = 24 * 3600 * 1000;
// After refusing an upload, read and drop this much more so the client sees the answer, then hang up.
const DISCARD_LIMIT_BYTES = 64 * 1024 * 1024;
const DISCARD_TIMEOUT_MS = 10_000;

const NO_SUCH_PATH = new Set(['ENOENT', 'ENOTDIR']);
const CLASHES = new Set(['ENOTDIR', 'EISDIR', 'EEXIST', 'ENOTEMPTY']);
const codeOf = (error: unknown) => (error as NodeJS.ErrnoException).code ?? '';
const sameMediaType = (a: string, b: string) => a.toLowerCase().replace(/\s+/g, '') === b.toLowerCase().replace(/\s+/g, '');

/** Objects as files under a directory, with presigned-style URLs served by FsStorageController. */
export class FsObjectStorage implements ObjectStorage {
  readonly kind = 'fs' as const;
  readonly maxPutBytes: number;
  private readonly objectsDir: string;
  private readonly metaDir: string;
  private readonly uploadsDir: string;
  private readonly publicBaseUrl: () => string;
  private readonly signer: UrlSigner;
  private readonly now: () => number;

  constructor(options: FsObjectStorageOptions) {
    const root = resolve(options.dir);
    this.objectsDir = join(root, 'objects');
    this.metaDir = join(root, 'meta');
    this.uploadsDir = join(root, 'uploads');
    const { publicBaseUrl } = options;
    if (typeof publicBaseUrl === 'string') {
      // A fixed URL is checked now, so that a bad configuration fails at start-up.
      const fixed = baseUrlOf(publicBaseUrl);
      this.publicBaseUrl = () => fixed;
    } else {
      this.publicBaseUrl = () => baseUrlOf(publicBaseUrl());
    }
    if (!Number.isSafeInteger(options.maxPutBytes) || options.maxPutBytes < 1) throw new Error('maxPutBytes must be a positive integer');
    this.maxPutBytes = options.maxPutBytes;
    this.now = options.now ?? Date.now;
    this.signer = new UrlSigner(options.secret, this.now);
  }

  async ensureReady(): Promise<void> {
    await Promise.all([this.objectsDir, this.metaDir, this.uploadsDir].map((dir) => mkdir(dir, { recursive: true })));
    for (const name of await readdir(this.uploadsDir)) {
      const path = join(this.uploadsDir, name);
      const info = await stat(path).catch(() => null);
      if (info && this.now() - info.mtimeMs > STALE_UPLOAD_MS) await rm(path, { force: true });
    }
  }

  async presignPut(key: string, options: PresignPutOptions): Promise<PresignedUrl> {
    return this.presign(options.expiresInS, {
      method: 'PUT',
      key: assertObjectKey(key),
      contentType: assertContentType(options.contentType),
      downloadName: null,
      inline: false,
    });
  }

  async presignGet(key: string, options: PresignGetOptions): Promise<PresignedUrl> {
    const normalised = assertObjectKey(key);
    return this.presign(options.expiresInS, {
      method: 'GET',
      key: normalised,
      contentType: assertContentType(options.contentType),
      downloadName: options.downloadName ? downloadNameOf(normalised, options.downloadName) : null,
      inline: options.inline === true,
    });
  }

  async stat(key: string): Promise<StoredObject | null> {
    const normalised = assertObjectKey(key);
    const info = await stat(this.objectPath(normalised)).catch((error: unknown) => {
      if (NO_SUCH_PATH.has(codeOf(error))) return null;
      throw error;
    });
    return info?.isFile() ? this.describe(normalised, info) : null;
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const normalised = assertKeyPrefix(prefix);
    // Walk only the deepest folder the prefix names; its last, partial segment filters names.
    const folder = normalised.slice(0, normalised.lastIndexOf('/') + 1);
    const keys = (await this.walk(folder)).filter((key) => key.startsWith(normalised));
    keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const objects = await Promise.all(
      keys.map(async (key) => {
        const info = await stat(this.objectPath(key)).catch(() => null);
        return info?.isFile() ? this.describe(key, info) : null;
      }),
    );
    return objects.filter((object): object is StoredObject => object !== null);
  }

  async putObject(key: string, body: Buffer | NodeJS.ReadableStream, contentType?: string | null): Promise<void> {
    await this.write(assertObjectKey(key), Buffer.isBuffer(body) ? [body] : body, assertContentType(contentType), Number.POSITIVE_INFINITY);
  }

  async getObject(key: string): Promise<NodeJS.ReadableStream> {
    return (await this.open(assertObjectKey(key))).stream;
  }

  async delete(keys: string[]): Promise<void> {
    // Validate the whole batch first: a bad key must not leave half of it deleted.
    const normalised = keys.map(assertObjectKey);
    await Promise.all(
      normalised.flatMap((key) => [this.objectPath(key), this.metaPath(key)]).map((path) => unlink(path).catch(ignoreMissingFile)),
    );
    // Folders exist only for the keys below them, as on S3: a deleted run leaves no empty tree behind.
    for (const key of normalised) {
      await removeEmptyFolders(this.objectsDir, dirname(this.objectPath(key)));
      await removeEmptyFolders(this.metaDir, dirname(this.metaPath(key)));
    }
  }

  /**
   * Stores the body of a PUT to a signed URL: checks the signature, the size (by Content-Length up
   * front, then while streaming) and the content type; the object appears whole or not at all.
   */
  async receiveSignedUpload(key: string, query: Record<string, unknown>, request: IncomingMessage): Promise<StoredObject> {
    try {
      const grant = this.authorize(request.method ?? '', key, query);
      if (request.readableEnded) {
        // An Express body parser read it first; see exceptStorageRoutes.
        throw new Error(`the body of a storage upload was consumed before reaching the storage controller`);
      }
      const length = Number(request.headers['content-length']);
      if (Number.isFinite(length) && length > this.maxPutBytes) throw objectTooLarge(this.maxPutBytes);
      const sent = assertContentType(request.headers['content-type']);
      if (grant.contentType !== null && sent !== null && !sameMediaType(grant.contentType, sent)) {
        throw contentTypeMismatch(grant.contentType, sent);
      }
      // Not destroying the request on an early stop lets the error response still reach the client.
      const body = { [Symbol.asyncIterator]: () => request.iterator({ destroyOnReturn: false }) };
      return await this.write(grant.key, body, grant.contentType ?? sent, this.maxPutBytes);
    } catch (error) {
      discardRest(request);
      throw error;
    }
  }

  /** Opens the object a signed GET (or HEAD) URL grants, with the headers to answer with. */
  async openSignedDownload(method: string, key: string, query: Record<string, unknown>): Promise<SignedDownload> {
    const grant = this.authorize(method, key, query);
    return this.download(grant);
  }

  /** Opens an object for a caller the server has authorised itself (GET /api/artifacts/...), with the same headers. */
  async openDownload(key: string, options: DownloadOptions): Promise<SignedDownload> {
    const normalised = assertObjectKey(key);
    return this.download({
      key: normalised,
      contentType: assertContentType(options.contentType),
      downloadName: options.downloadName ? downloadNameOf(normalised, options.downloadName) : null,
      inline: options.inline === true,
    });
  }

  async ping(): Promise<void> {
    // Readable and writable, as uploads and downloads need it; a missing directory is not ready.
    await Promise.all([this.objectsDir, this.metaDir, this.uploadsDir].map((dir) => access(dir, constants.R_OK | constants.W_OK)));
  }

  private async download(grant: Pick<StorageGrant, 'key' | 'contentType' | 'downloadName' | 'inline'>): Promise<SignedDownload> {
    const { object, stream } = await this.open(grant.key);
    const contentType = grant.contentType ?? object.contentType ?? guessContentType(object.key) ?? 'application/octet-stream';
    const inline = grant.inline && isInlineSafe(contentType);
    const headers: Record<string, string> = {
      'Content-Type': contentType,
      'Content-Length': String(object.size),
      'Content-Disposition': contentDisposition(downloadNameOf(object.key, grant.downloadName), inline),
      // Stored bytes come from workers: never let a browser sniff them into HTML.
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private',
    };
    if (object.etag) headers.ETag = `"${object.etag}"`;
    if (object.lastModified) headers['Last-Modified'] = object.lastModified.toUTCString();
    return { object, stream, headers };
  }

  private authorize(method: string, key: string, query: Record<string, unknown>): StorageGrant {
    // The key is checked before the signature: a traversal is refused whatever it is signed for.
    return this.signer.verify(method, assertObjectKey(key), query);
  }

  private presign(expiresInS: number, grant: Omit<StorageGrant, 'expiresAt'>): PresignedUrl {
    if (!Number.isInteger(expiresInS) || expiresInS < 1 || expiresInS > MAX_PRESIGN_EXPIRY_S) {
      throw invalidExpiry(expiresInS, MAX_PRESIGN_EXPIRY_S);
    }
    const expiresAt = Math.floor(this.now() / 1000) + expiresInS;
    const query = this.signer.sign({ ...grant, expiresAt });
    const path = grant.key.split('/').map(encodeURIComponent).join('/');
    return { url: `${this.publicBaseUrl()}/${STORAGE_ROUTE}/${path}?${query.toString()}`, expiresAt: new Date(expiresAt * 1000), method: grant.method };
  }

  private async write(key: string, chunks: AsyncIterable<unknown> | Iterable<unknown>, contentType: string | null, maxBytes: number): Promise<StoredObject> {
    const upload = join(this.uploadsDir, randomUUID());
    const md5 = createHash('md5');
    let size = 0;
    async function* counted() {
      for await (const chunk of chunks) {
        const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        size += buffer.length;
        if (size > maxBytes) throw objectTooLarge(maxBytes);
        md5.update(buffer);
        yield buffer;
      }
    }
    try {
      await pipeline(counted, createWriteStream(upload, { flags: 'wx' }));
      const info = await stat(upload);
      const sidecar: Sidecar = { contentType, etag: md5.digest('hex'), size, ino: info.ino };
      await this.place(key, upload, sidecar);
      return { key, size, contentType, etag: sidecar.etag, lastModified: info.mtime };
    } finally {
      await Promise.all([rm(upload, { force: true }), rm(`${upload}.meta`, { force: true })]);
    }
  }

  // Metadata first, then the object, each by rename: readers see an old or a new object, never half of one.
  private async place(key: string, upload: string, sidecar: Sidecar): Promise<void> {
    const target = this.objectPath(key);
    const metaTarget = this.metaPath(key);
    // A folder made here may be removed by a delete emptying it (removeEmptyFolders) before the rename: make it again.
    const renameInto = async (from: string, to: string) => {
      for (let attempt = 1; ; attempt++) {
        await mkdir(dirname(to), { recursive: true });
        try {
          return await rename(from, to);
        } catch (error) {
          if (codeOf(error) !== 'ENOENT' || attempt === 3) throw error;
        }
      }
    };
    try {
      await writeFile(`${upload}.meta`, JSON.stringify(sidecar), { flag: 'wx' });
      await renameInto(`${upload}.meta`, metaTarget);
      await renameInto(upload, target);
    } catch (error) {
      if (CLASHES.has(codeOf(error))) throw keyConflict(key);
      throw error;
    }
  }

  private async open(key: string): Promise<{ object: StoredObject; stream: Readable }> {
    // Reading through one descriptor keeps size and bytes consistent even if the key is replaced meanwhile.
    const handle = await open(this.objectPath(key), 'r').catch((error: unknown) => {
      if (NO_SUCH_PATH.has(codeOf(error))) throw objectNotFound(key);
      throw error;
    });
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw objectNotFound(key);
      return { object: await this.describe(key, info), stream: handle.createReadStream() };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  private async describe(key: string, info: Stats): Promise<StoredObject> {
    const sidecar = await this.readSidecar(key);
    // A sidecar from another write of the key (a crash, a race) says nothing about these bytes.
    const trusted = sidecar !== null && sidecar.ino === info.ino && sidecar.size === info.size;
    return {
      key,
      size: info.size,
      contentType: trusted ? sidecar.contentType : null,
      etag: trusted ? sidecar.etag : `${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}`,
      lastModified: info.mtime,
    };
  }

  private async readSidecar(key: string): Promise<Sidecar | null> {
    try {
      return JSON.parse(await readFile(this.metaPath(key), 'utf8')) as Sidecar;
    } catch {
      return null;
    }
  }

  private async walk(folder: string): Promise<string[]> {
    const entries = await readdir(this.objectPath(folder, true), { withFileTypes: true }).catch((error: unknown) => {
      if (NO_SUCH_PATH.has(codeOf(error))) return [];
      throw error;
    });
    const nested = await Promise.all(
      entries.map((entry) => {
        const key = `${folder}${entry.name}`;
        if (entry.isDirectory()) return this.walk(`${key}/`);
        return Promise.resolve(entry.isFile() ? [key] : []);
      }),
    );
    return nested.flat();
  }

  private objectPath(key: string, folder = false): string {
    return this.confined(this.objectsDir, key, folder);
  }

  private metaPath(key: string): string {
    return this.confined(this.metaDir, key, false);
  }

  // Keys are validated already; this is the last line against a path escaping the directory.
  private confined(root: string, key: string, folder: boolean): string {
    const path = join(root, ...key.split('/').filter((segment) => segment !== ''));
    if (path !== root && !path.startsWith(root + sep)) throw invalidArtifactKey(key, 'confined', 'must stay inside the storage directory');
    if (!folder && path === root) throw invalidArtifactKey(key, 'confined', 'must name an object');
    return path;
  }
}

function baseUrlOf(publicBaseUrl: string): string {
  const base = new URL(publicBaseUrl);
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error('publicBaseUrl must be an http(s) URL');
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
}

// Removes `folder` and its parents up to (not including) `root` while they are empty.
async function removeEmptyFolders(root: string, folder: string): Promise<void> {
  for (let current = folder; current.startsWith(root + sep); current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      // Not empty (another key, or an upload placing one right now), or gone already: stop here.
      return;
    }
  }
}

function ignoreMissingFile(error: unknown): void {
  if (!NO_SUCH_PATH.has(codeOf(error)) && codeOf(error) !== 'EISDIR') throw error;
}

// Reads and drops what the client is still sending, so that it reads the error answer instead of a
// connection reset; a client that goes on for too long is cut off.
function discardRest(request: IncomingMessage): void {
  if (request.readableEnded || request.destroyed) return;
  let discarded = 0;
  const cutOff = () => request.socket.destroy();
  const timer = setTimeout(cutOff, DISCARD_TIMEOUT_MS).unref();
  request.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > DISCARD_LIMIT_BYTES) cutOff();
  });
  request.once('close', () => clearTimeout(timer));
  request.resume();
}
