import { Client, type BucketItem } from 'minio';
import { Readable } from 'node:stream';
import { invalidExpiry, objectNotFound, storageUnavailable } from '../../artifacts.errors.js';
import { assertKeyPrefix, assertObjectKey } from '../artifact-key.js';
import { assertContentType, contentDisposition, downloadNameOf, guessContentType, isInlineSafe } from '../content-headers.js';
import {
  MAX_PRESIGN_EXPIRY_S,
  type ObjectStorage,
  type PresignedUrl,
  type PresignGetOptions,
  type PresignPutOptions,
  type StoredObject,
} from '../object-storage.js';

export interface MinioObjectStorageOptions {
  /** Host name (`minio`), or a URL (`http://minio:9000`) from which port and TLS are taken. */
  endPoint: string;
  /** Defaults to the URL's port, else 443 with TLS and 80 without. */
  port?: number | null;
  /** Defaults to the URL's scheme, else false. */
  useSSL?: boolean | null;
  accessKey: string;
  secretKey: string;
  bucket: string;
  /** Region the bucket is created in and requests are signed for; default us-east-1. */
  region?: string | null;
  /**
   * Base URL (scheme, host, port; no path) clients outside the storage's network use, e.g.
   * http://localhost:9000 when the server talks to http://minio:9000. Presigned URLs are signed for it.
   */
  publicBaseUrl?: string | null;
}

interface Endpoint {
  endPoint: string;
  port?: number;
  useSSL: boolean;
}

const MISSING = new Set(['NotFound', 'NoSuchKey']);
const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

/** The endpoint options of the minio client for a host name or an http(s) URL. */
export function parseEndpoint(endPoint: string, port?: number | null, useSSL?: boolean | null): Endpoint {
  if (!/^https?:\/\//i.test(endPoint)) return { endPoint, port: port ?? undefined, useSSL: useSSL ?? false };
  const url = new URL(endPoint);
  if (url.pathname !== '/' || url.search || url.hash || url.username) {
    throw new Error(`storage endpoint ${url.origin} must be scheme, host and port only (no path, query or credentials)`);
  }
  return {
    endPoint: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : (port ?? undefined),
    useSSL: url.protocol === 'https:',
  };
}

/** Objects in an S3-compatible bucket (MinIO, S3) through the `minio` client. */
export class MinioObjectStorage implements ObjectStorage {
  readonly kind = 'minio' as const;
  private readonly client: Client;
  // SigV4 signs the Host header, so URLs for outside clients are signed by a client configured with
  // the public endpoint; with the region fixed, presigning never touches the network.
  private readonly presigner: Client;
  private readonly bucket: string;
  private readonly region: string;
  private readonly where: string;

  constructor(options: MinioObjectStorageOptions) {
    this.bucket = options.bucket;
    this.region = options.region || 'us-east-1';
    const internal = parseEndpoint(options.endPoint, options.port, options.useSSL);
    const credentials = { accessKey: options.accessKey, secretKey: options.secretKey, region: this.region, pathStyle: true };
    this.client = new Client({ ...internal, ...credentials });
    this.presigner = options.publicBaseUrl ? new Client({ ...parseEndpoint(options.publicBaseUrl), ...credentials }) : this.client;
    this.where = `${internal.useSSL ? 'https' : 'http'}://${internal.endPoint}${internal.port ? `:${internal.port}` : ''}/${this.bucket}`;
  }

  async ensureReady(): Promise<void> {
    try {
      if (await this.client.bucketExists(this.bucket)) return;
      await this.client.makeBucket(this.bucket, this.region);
    } catch (error) {
      // Another instance created it between our check and our request.
      if (codeOf(error) === 'BucketAlreadyOwnedByYou') return;
      throw storageUnavailable(this.where, (error as Error).message);
    }
  }

  async ping(): Promise<void> {
    let exists: boolean;
    try {
      exists = await this.client.bucketExists(this.bucket);
    } catch (error) {
      throw storageUnavailable(this.where, (error as Error).message);
    }
    if (!exists) throw storageUnavailable(this.where, 'the bucket does not exist');
  }

  async presignPut(key: string, options: PresignPutOptions): Promise<PresignedUrl> {
    const normalised = assertObjectKey(key);
    // Query-string SigV4 cannot bind a header: the uploader's Content-Type is what S3 stores.
    assertContentType(options.contentType);
    return this.presign('PUT', normalised, options.expiresInS, {});
  }

  async presignGet(key: string, options: PresignGetOptions): Promise<PresignedUrl> {
    const normalised = assertObjectKey(key);
    const requested = assertContentType(options.contentType);
    // Without a stat we only know the extension; when shown inline, the type is pinned to that safe one.
    const contentType = requested ?? guessContentType(normalised);
    const inline = options.inline === true && isInlineSafe(contentType);
    const params: Record<string, string> = {
      'response-content-disposition': contentDisposition(downloadNameOf(normalised, options.downloadName), inline),
    };
    if (requested || inline) params['response-content-type'] = contentType!;
    return this.presign('GET', normalised, options.expiresInS, params);
  }

  async stat(key: string): Promise<StoredObject | null> {
    const normalised = assertObjectKey(key);
    try {
      const stat = await this.client.statObject(this.bucket, normalised);
      const contentType = stat.metaData['content-type'];
      return {
        key: normalised,
        size: stat.size,
        contentType: typeof contentType === 'string' ? contentType : null,
        etag: stat.etag || null,
        lastModified: stat.lastModified ?? null,
      };
    } catch (error) {
      if (MISSING.has(codeOf(error) as string)) return null;
      throw error;
    }
  }

  async list(prefix: string): Promise<StoredObject[]> {
    const normalised = assertKeyPrefix(prefix);
    const objects: StoredObject[] = [];
    for await (const item of this.client.listObjectsV2(this.bucket, normalised, true) as AsyncIterable<BucketItem>) {
      if (item.name === undefined) continue;
      objects.push({ key: item.name, size: item.size, contentType: null, etag: item.etag || null, lastModified: item.lastModified ?? null });
    }
    return objects.sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
  }

  async putObject(key: string, body: Buffer | NodeJS.ReadableStream, contentType?: string | null): Promise<void> {
    const normalised = assertObjectKey(key);
    const type = assertContentType(contentType);
    const source = Buffer.isBuffer(body) || body instanceof Readable ? body : Readable.from(body);
    await this.client.putObject(this.bucket, normalised, source, Buffer.isBuffer(body) ? body.length : undefined, type ? { 'Content-Type': type } : {});
  }

  async getObject(key: string): Promise<NodeJS.ReadableStream> {
    const normalised = assertObjectKey(key);
    try {
      return await this.client.getObject(this.bucket, normalised);
    } catch (error) {
      if (MISSING.has(codeOf(error) as string)) throw objectNotFound(normalised);
      throw error;
    }
  }

  async delete(keys: string[]): Promise<void> {
    const normalised = keys.map(assertObjectKey);
    if (normalised.length === 0) return;
    const results = (await this.client.removeObjects(this.bucket, normalised)) as unknown[];
    // The client reports per-key errors (its typing says `{ Error }`, its parser returns the error itself).
    const failures = results
      .map((result) => ((result as { Error?: unknown } | null)?.Error ?? result) as { Code?: string; Key?: string } | null)
      .filter((failure) => failure?.Code && failure.Code !== 'NoSuchKey');
    if (failures.length > 0) {
      const summary = failures.map((failure) => `${failure!.Key}: ${failure!.Code}`).join(', ');
      throw new Error(`could not delete ${failures.length} of ${normalised.length} objects from ${this.where} (${summary})`);
    }
  }

  private async presign(method: 'GET' | 'PUT', key: string, expiresInS: number, params: Record<string, string>): Promise<PresignedUrl> {
    if (!Number.isInteger(expiresInS) || expiresInS < 1 || expiresInS > MAX_PRESIGN_EXPIRY_S) {
      throw invalidExpiry(expiresInS, MAX_PRESIGN_EXPIRY_S);
    }
    // Whole seconds, as SigV4 dates are, so expiresAt is exactly when the URL stops working.
    const signedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const url = await this.presigner.presignedUrl(method, this.bucket, key, expiresInS, params, signedAt);
    return { url, expiresAt: new Date(signedAt.getTime() + expiresInS * 1000), method };
  }
}
