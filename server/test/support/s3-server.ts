import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { IncomingMessage, Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestS3Server {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  port: number;
  accessKey: string;
  secretKey: string;
  /** Where s3rver keeps buckets and objects. */
  directory: string;
  /** Query-signed (presigned) requests that passed the SigV4 check so far. */
  verifiedPresignedRequests(): number;
  close(): Promise<void>;
}

// The subset of s3rver (CommonJS, untyped) these tests use.
interface KoaContext {
  req: IncomingMessage;
  method: string;
  path: string;
  querystring: string;
  status: number;
  type: string;
  body: unknown;
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>;
interface S3rverInstance {
  middleware: Middleware[];
  store: { deleteObject(bucket: string, key: string): Promise<void> };
  httpServer?: Server;
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;

// s3rver accepts only this built-in account.
const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';

/**
 * An S3-compatible server (s3rver) on a free loopback port with a temporary directory.
 *
 * - vhostBuckets is off: s3rver would otherwise read any host name other than localhost or an IP
 *   as a bucket name (virtual-host style); the minio client uses path-style URLs with us.
 * - s3rver checks only the access key and expiry of SigV4 requests, never the signature. So that a
 *   presigned URL signed for the wrong host, path, query or secret fails here as it would on MinIO,
 *   query-signed SigV4 requests are verified by a middleware in front of s3rver (403
 *   SignatureDoesNotMatch otherwise). Header-signed requests (the client's own calls) are not.
 * - s3rver lacks ListMultipartUploads (GET /<bucket>?uploads), which the minio client calls before
 *   every multipart upload (putObject of a stream of unknown size); it is answered "none in progress".
 * - s3rver deletes the keys of one multi-object delete concurrently and then races itself removing
 *   their shared, now empty folders (500, which the client retries noisily); deletions are serialised.
 */
export async function startS3Server(): Promise<TestS3Server> {
  const directory = mkdtempSync(join(tmpdir(), 'orch-s3rver-'));
  const S3rver = createRequire(import.meta.url)('s3rver') as S3rverConstructor;
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, vhostBuckets: false });
  serialiseDeletes(server);
  let verified = 0;
  server.middleware.unshift(async (ctx, next) => {
    const query = new URLSearchParams(ctx.querystring);
    if (query.get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256') {
      if (!presignedSignatureMatches(ctx, query)) {
        ctx.status = 403;
        ctx.type = 'application/xml';
        ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>';
        return;
      }
      verified++;
    }
    const bucket = /^\/([^/]+)\/?$/.exec(ctx.path)?.[1];
    if (ctx.method === 'GET' && bucket && query.has('uploads')) {
      ctx.type = 'application/xml';
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult><Bucket>${bucket}</Bucket><IsTruncated>false</IsTruncated></ListMultipartUploadsResult>`;
      return;
    }
    await next();
  });
  try {
    const { port } = await server.run();
    return {
      endpoint: `http://127.0.0.1:${port}`,
      port,
      accessKey: ACCESS_KEY,
      secretKey: SECRET_KEY,
      directory,
      verifiedPresignedRequests: () => verified,
      close: async () => {
        // Clients keep connections alive; don't wait for them to time out.
        server.httpServer?.closeAllConnections();
        await server.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}

function serialiseDeletes(server: S3rverInstance): void {
  const deleteObject = server.store.deleteObject.bind(server.store);
  let previous: Promise<unknown> = Promise.resolve();
  server.store.deleteObject = (bucket, key) => {
    const current = previous.then(() => deleteObject(bucket, key));
    previous = current.catch(() => undefined);
    return current;
  };
}

const rfc3986 = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const hmac = (key: Buffer | string, value: string) => createHmac('sha256', key).update(value).digest();

// AWS Signature Version 4, query-string variant (what presigned URLs carry), as S3 verifies it.
function presignedSignatureMatches(ctx: KoaContext, query: URLSearchParams): boolean {
  const credential = query.get('X-Amz-Credential')?.split('/') ?? [];
  const [accessKey, date, region, service, terminator] = credential;
  const amzDate = query.get('X-Amz-Date') ?? '';
  const signature = query.get('X-Amz-Signature') ?? '';
  if (accessKey !== ACCESS_KEY || credential.length !== 5 || terminator !== 'aws4_request' || !amzDate.startsWith(date)) return false;

  const canonicalUri = ctx.path
    .split('/')
    .map((segment) => rfc3986(decodeURIComponent(segment)))
    .join('/');
  const canonicalQuery = [...query.entries()]
    .filter(([name]) => name !== 'X-Amz-Signature')
    .map(([name, value]) => [rfc3986(name), rfc3986(value)])
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const signedHeaders = (query.get('X-Amz-SignedHeaders') ?? '').split(';');
  const canonicalHeaders = signedHeaders
    .map((name) => `${name}:${String(ctx.req.headers[name] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = [ctx.method, canonicalUri, canonicalQuery, canonicalHeaders, signedHeaders.join(';'), 'UNSIGNED-PAYLOAD'].join('\n');
  const scope = [date, region, service, terminator].join('/');
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const key = [date, region, service, terminator].reduce<Buffer | string>((k, part) => hmac(k, part), `AWS4${SECRET_KEY}`);
  const expected = hmac(key, stringToSign);
  return /^[0-9a-f]{64}$/.test(signature) && timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
