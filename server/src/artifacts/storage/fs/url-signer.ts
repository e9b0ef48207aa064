import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { signatureExpired, signatureInvalid, signatureMethodMismatch } from '../../artifacts.errors.js';

export type SignedMethod = 'GET' | 'PUT';

/** What a signed storage URL grants: one method on one key until `expiresAt`, with its response settings. */
export interface StorageGrant {
  method: SignedMethod;
  key: string;
  /** Unix time in seconds. */
  expiresAt: number;
  /** PUT: the content type the upload must carry; GET: the content type to answer with. */
  contentType: string | null;
  /** GET: the file name offered for the download. */
  downloadName: string | null;
  /** GET: show inline (raster images and PDFs only). */
  inline: boolean;
}

/** Query parameter names of signed storage URLs. */
export const SIGNED_PARAM = {
  method: 'X-Method',
  expires: 'X-Expires',
  contentType: 'X-Content-Type',
  downloadName: 'X-Filename',
  inline: 'X-Inline',
  signature: 'X-Signature',
} as const;

export const MIN_SECRET_BYTES = 32;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
const UNIX_SECONDS = /^\d{1,12}$/;

/** HMAC-SHA256 signatures over everything a storage URL grants; verification is constant-time. */
export class UrlSigner {
  constructor(
    private readonly secret: Buffer,
    private readonly now: () => number = Date.now,
  ) {
    if (secret.length < MIN_SECRET_BYTES) throw new Error(`the storage URL secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }

  /** The query parameters, signature included, that grant `grant`. */
  sign(grant: StorageGrant): URLSearchParams {
    const query = new URLSearchParams({ [SIGNED_PARAM.method]: grant.method, [SIGNED_PARAM.expires]: String(grant.expiresAt) });
    if (grant.contentType !== null) query.set(SIGNED_PARAM.contentType, grant.contentType);
    if (grant.downloadName !== null) query.set(SIGNED_PARAM.downloadName, grant.downloadName);
    if (grant.inline) query.set(SIGNED_PARAM.inline, '1');
    query.set(SIGNED_PARAM.signature, this.mac(grant).toString('base64url'));
    return query;
  }

  /**
   * The grant carried by a request for `key` (already normalised) with `query`; throws FORBIDDEN
   * with reason SIGNATURE_INVALID, SIGNATURE_EXPIRED or SIGNATURE_METHOD_MISMATCH.
   */
  verify(method: string, key: string, query: Record<string, unknown>): StorageGrant {
    const param = (name: string): string | null => {
      const value = query[name];
      if (value === undefined) return null;
      // A repeated parameter could mean one thing to us and another to a proxy: refuse it.
      if (typeof value !== 'string') throw signatureInvalid(`parameter ${name} is given more than once`);
      return value;
    };
    const signedMethod = param(SIGNED_PARAM.method);
    const expires = param(SIGNED_PARAM.expires);
    const signature = param(SIGNED_PARAM.signature);
    const inline = param(SIGNED_PARAM.inline);
    if (signedMethod === null || expires === null || signature === null) {
      throw signatureInvalid(`${SIGNED_PARAM.method}, ${SIGNED_PARAM.expires} and ${SIGNED_PARAM.signature} are required`);
    }
    if ((signedMethod !== 'GET' && signedMethod !== 'PUT') || !UNIX_SECONDS.test(expires) || (inline !== null && inline !== '1')) {
      throw signatureInvalid('malformed parameters');
    }
    const grant: StorageGrant = {
      method: signedMethod,
      key,
      expiresAt: Number(expires),
      contentType: param(SIGNED_PARAM.contentType),
      downloadName: param(SIGNED_PARAM.downloadName),
      inline: inline === '1',
    };
    if (!SIGNATURE.test(signature) || !timingSafeEqual(Buffer.from(signature, 'base64url'), this.mac(grant))) {
      throw signatureInvalid('it does not match this URL');
    }
    if (this.now() > grant.expiresAt * 1000) throw signatureExpired(new Date(grant.expiresAt * 1000));
    const used = method === 'HEAD' ? 'GET' : method;
    if (used !== grant.method) throw signatureMethodMismatch(grant.method, method);
    return grant;
  }

  private mac(grant: StorageGrant): Buffer {
    // A JSON array keeps the fields apart: no value can pose as the next field.
    const canonical = JSON.stringify([
      'orchestrator-storage-v1',
      grant.method,
      grant.key,
      grant.expiresAt,
      grant.contentType,
      grant.downloadName,
      grant.inline,
    ]);
    return createHmac('sha256', this.secret).update(canonical).digest();
  }
}

/**
 * The signing secret kept at `path` (created with 32 random bytes, mode 0600, on first use), so
 * that URLs handed out stay valid across restarts without any configuration.
 */
export async function loadOrCreateSigningSecret(path: string): Promise<Buffer> {
  try {
    return await readSecret(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dirname(path), { recursive: true });
  try {
    await writeFile(path, randomBytes(MIN_SECRET_BYTES).toString('base64'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readSecret(path);
}

async function readSecret(path: string): Promise<Buffer> {
  const secret = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
  if (secret.length < MIN_SECRET_BYTES) throw new Error(`the storage URL secret in ${path} is shorter than ${MIN_SECRET_BYTES} bytes`);
  return secret;
}
