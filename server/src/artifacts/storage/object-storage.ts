import type { Readable } from 'node:stream';

/** One stored object as both adapters report it. `etag` is unquoted (an MD5 hex for single-part uploads). */
export interface StoredObject {
  key: string;
  size: number;
  contentType: string | null;
  etag: string | null;
  lastModified: Date | null;
}

/** A URL a client can use without credentials until `expiresAt`, for exactly one method. */
export interface PresignedUrl {
  url: string;
  expiresAt: Date;
  method: 'GET' | 'PUT';
}

export interface PresignPutOptions {
  expiresInS: number;
  contentType?: string | null;
}

export interface PresignGetOptions {
  expiresInS: number;
  /** File name offered to the browser; defaults to the key's last segment. */
  downloadName?: string | null;
  /** Overrides the stored content type in the response. */
  contentType?: string | null;
  /** Ask for inline display; honoured only for raster images and PDFs, anything else is an attachment. */
  inline?: boolean;
}

/** Response settings of a download the server streams itself (see ObjectStorage.openDownload). */
export type DownloadOptions = Omit<PresignGetOptions, 'expiresInS'>;

/** An object opened for download: its metadata, its bytes and the response headers to send them with. */
export interface ObjectDownload {
  object: StoredObject;
  stream: Readable;
  headers: Record<string, string>;
}

/** S3's limit on presigned URL lifetimes, which both adapters keep. */
export const MAX_PRESIGN_EXPIRY_S = 7 * 24 * 3600;

/**
 * Where artifact bytes live: an S3-compatible bucket (MinIO) or files under the data dir.
 * Keys are full object keys (runs/<runId>/...), validated by every adapter with assertObjectKey.
 */
export interface ObjectStorage {
  readonly kind: 'fs' | 'minio';
  /** Creates the bucket/directory if missing. */
  ensureReady(): Promise<void>;
  /** Throws when the storage cannot be used right now (readiness probe); creates nothing. */
  ping(): Promise<void>;
  presignPut(key: string, options: PresignPutOptions): Promise<PresignedUrl>;
  presignGet(key: string, options: PresignGetOptions): Promise<PresignedUrl>;
  /** The object's metadata, or null when there is none under that key. */
  stat(key: string): Promise<StoredObject | null>;
  /** Every object whose key starts with the prefix (a string prefix, as in S3), sorted by key. */
  list(prefix: string): Promise<StoredObject[]>;
  putObject(key: string, body: Buffer | NodeJS.ReadableStream, contentType?: string | null): Promise<void>;
  /** The object's bytes; a DomainError NOT_FOUND (ARTIFACT_OBJECT_NOT_FOUND) when missing. */
  getObject(key: string): Promise<NodeJS.ReadableStream>;
  /** Deletes the keys; missing keys are not an error. */
  delete(keys: string[]): Promise<void>;
  /**
   * Only adapters whose URLs point back at this server (fs): opens an object to stream it directly,
   * headers included. Others have clients download from a presigned URL instead.
   */
  openDownload?(key: string, options: DownloadOptions): Promise<ObjectDownload>;
}

/** Injection token of the configured ObjectStorage adapter. */
export const OBJECT_STORAGE = Symbol('ObjectStorage');
