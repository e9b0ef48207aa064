import { join } from 'node:path';
import type { Env } from '../../config/env.js';
import { FsObjectStorage } from './fs/fs.object-storage.js';
import { loadOrCreateSigningSecret } from './fs/url-signer.js';
import { MinioObjectStorage } from './minio/minio.object-storage.js';
import type { ObjectStorage } from './object-storage.js';

/** Which adapter the configuration selects: `minio` when MINIO_ENDPOINT is set, else `fs`. */
export const storageKindOf = (env: Env): ObjectStorage['kind'] => (env.MINIO_ENDPOINT ? 'minio' : 'fs');

/** Where the `fs` adapter keeps objects, and its signing key when STORAGE_SIGNING_SECRET is not set. */
export const fsStorageDir = (env: Env) => join(env.DATA_DIR, 'artifacts');
export const signingKeyPath = (env: Env) => join(env.DATA_DIR, 'storage', 'signing.key');

/**
 * Builds the configured adapter (and only that one). `publicBaseUrl` is where clients reach this
 * server, asked at every `fs` presign: the listening port may be known only after start-up.
 */
export async function createObjectStorage(env: Env, publicBaseUrl: () => string): Promise<ObjectStorage> {
  if (storageKindOf(env) === 'minio') {
    return new MinioObjectStorage({
      endPoint: env.MINIO_ENDPOINT!,
      port: env.MINIO_PORT,
      // Used for a bare host name; a URL endpoint brings its own scheme.
      useSSL: env.MINIO_USE_SSL,
      accessKey: env.MINIO_ACCESS_KEY!,
      secretKey: env.MINIO_SECRET_KEY!,
      bucket: env.MINIO_BUCKET,
      region: env.MINIO_REGION,
      publicBaseUrl: env.MINIO_PUBLIC_BASE_URL,
    });
  }
  const secret = env.STORAGE_SIGNING_SECRET
    ? Buffer.from(env.STORAGE_SIGNING_SECRET, 'utf8')
    : await loadOrCreateSigningSecret(signingKeyPath(env));
  return new FsObjectStorage({
    dir: fsStorageDir(env),
    publicBaseUrl: env.PUBLIC_URL ?? publicBaseUrl,
    secret,
    maxPutBytes: env.ARTIFACT_MAX_BYTES,
  });
}

/** The base URL of a server listening on `host`:`port`; a wildcard address is reached through loopback. */

export { listeningUrl } from '../../common/listening-url.js';
