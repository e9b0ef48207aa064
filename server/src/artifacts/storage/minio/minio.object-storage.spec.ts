import { Client } from 'minio';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { startS3Server, TestS3Server } from '../../../../test/support/s3-server.js';
import { MinioObjectStorage, MinioObjectStorageOptions, parseEndpoint } from './minio.object-storage.js';

const RUN = randomUUID();
const key = (name: string) => `runs/${RUN}/${name}`;
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

async function text(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

describe('parseEndpoint', () => {
  it.each([
    [['minio'], { endPoint: 'minio', port: undefined, useSSL: false }],
    [['minio', 9000, false], { endPoint: 'minio', port: 9000, useSSL: false }],
    [['http://minio:9000'], { endPoint: 'minio', port: 9000, useSSL: false }],
    [['https://s3.example.com'], { endPoint: 's3.example.com', port: undefined, useSSL: true }],
    [['https://s3.example.com/', 8443], { endPoint: 's3.example.com', port: 8443, useSSL: true }],
    [['HTTP://127.0.0.1:9100', 9000, true], { endPoint: '127.0.0.1', port: 9100, useSSL: false }],
  ] as const)('reads %j', (args, expected) => {
    expect(parseEndpoint(...(args as unknown as [string, number?, boolean?]))).toEqual(expected);
  });

  it('refuses a URL with a path, which the client cannot use', () => {
    expect(() => parseEndpoint('http://proxy:8080/s3')).toThrow(/no path/);
  });
});

describe('MinioObjectStorage against an S3 server (s3rver)', () => {
  let s3: TestS3Server;
  let storage: MinioObjectStorage;
  let bucket: string;
  const options = (overrides: Partial<MinioObjectStorageOptions> = {}): MinioObjectStorageOptions => ({
    endPoint: s3.endpoint,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    bucket,
    region: 'us-east-1',
    ...overrides,
  });
  const rawClient = () => new Client({ endPoint: '127.0.0.1', port: s3.port, useSSL: false, accessKey: s3.accessKey, secretKey: s3.secretKey, region: 'us-east-1' });

  beforeAll(async () => {
    s3 = await startS3Server();
    bucket = `artifacts-${randomBytes(4).toString('hex')}`;
    storage = new MinioObjectStorage(options());
    await storage.ensureReady();
  });
  afterAll(async () => {
    await s3.close();
  });

  describe('ensureReady', () => {
    it('creates the bucket when missing and accepts it when present', async () => {
      expect(await rawClient().bucketExists(bucket)).toBe(true);
      await storage.ensureReady();
      const host = new MinioObjectStorage(options({ endPoint: '127.0.0.1', port: s3.port, useSSL: false, bucket: `${bucket}-second` }));
      await host.ensureReady();
      expect(await rawClient().bucketExists(`${bucket}-second`)).toBe(true);
    });

    it('says which storage is unavailable, without credentials', async () => {
      const down = new MinioObjectStorage(options({ endPoint: 'http://127.0.0.1:1', secretKey: 'do-not-print-me' }));
      const error = await down.ensureReady().then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error).toMatchObject({ kind: 'SERVICE_UNAVAILABLE', reason: 'STORAGE_UNAVAILABLE' });
      expect(error!.message).toContain(`http://127.0.0.1:1/${bucket}`);
      expect(error!.message).not.toContain('do-not-print-me');
    });
  });

  describe('presigned PUT and GET', () => {
    it('uploads with fetch, stats, and downloads the same bytes', async () => {
      const bytes = randomBytes(2 * 1024 * 1024 + 3);
      const put = await storage.presignPut(key('data/weights.bin'), { expiresInS: 300, contentType: 'application/octet-stream' });
      expect(put).toMatchObject({ method: 'PUT', url: expect.stringContaining(`${s3.endpoint}/${bucket}/runs/${RUN}/data/weights.bin?`) });
      expect(Math.abs(put.expiresAt.getTime() - (Date.now() + 300_000))).toBeLessThan(2000);
      const verifiedBefore = s3.verifiedPresignedRequests();

      const uploaded = await fetch(put.url, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
      expect(uploaded.status).toBe(200);

      expect(await storage.stat(key('data/weights.bin'))).toMatchObject({
        key: key('data/weights.bin'),
        size: bytes.length,
        contentType: 'application/octet-stream',
        etag: md5(bytes),
      });

      const get = await storage.presignGet(key('data/weights.bin'), { expiresInS: 300 });
      const downloaded = await fetch(get.url);
      expect(downloaded.status).toBe(200);
      expect(downloaded.headers.get('content-disposition')).toBe(`attachment; filename="weights.bin"; filename*=UTF-8''weights.bin`);
      expect(Buffer.from(await downloaded.arrayBuffer()).equals(bytes)).toBe(true);
      // Both URLs went through the SigV4 check in front of s3rver.
      expect(s3.verifiedPresignedRequests()).toBe(verifiedBefore + 2);
    });

    it('asks S3 for the content type and an inline disposition for images when asked', async () => {
      await storage.putObject(key('plots/loss.png'), Buffer.from('png'), 'image/png');
      const inline = await fetch((await storage.presignGet(key('plots/loss.png'), { expiresInS: 60, inline: true })).url);
      expect(inline.status).toBe(200);
      expect(inline.headers.get('content-type')).toBe('image/png');
      expect(inline.headers.get('content-disposition')).toBe(`inline; filename="loss.png"; filename*=UTF-8''loss.png`);

      const renamed = await fetch(
        (await storage.presignGet(key('plots/loss.png'), { expiresInS: 60, downloadName: 'Loss – run 1.png', contentType: 'application/octet-stream' })).url,
      );
      expect(renamed.headers.get('content-type')).toBe('application/octet-stream');
      expect(renamed.headers.get('content-disposition')).toBe(`attachment; filename="Loss _ run 1.png"; filename*=UTF-8''Loss%20%E2%80%93%20run%201.png`);
    });

    it('keeps HTML an attachment even when inline is asked', async () => {
      await storage.putObject(key('report.html'), Buffer.from('<script>alert(1)</script>'), 'text/html');
      const response = await fetch((await storage.presignGet(key('report.html'), { expiresInS: 60, inline: true })).url);
      expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
    });

    it('refuses a presigned URL whose signature was tampered with', async () => {
      const put = new URL((await storage.presignPut(key('tampered.txt'), { expiresInS: 60 })).url);
      put.searchParams.set('X-Amz-Expires', '600');
      expect((await fetch(put, { method: 'PUT', body: 'x' })).status).toBe(403);
      expect(await storage.stat(key('tampered.txt'))).toBeNull();
    });

    it('refuses invalid keys and lifetimes before signing', async () => {
      await expect(storage.presignPut(`runs/${RUN}/../x`, { expiresInS: 60 })).rejects.toMatchObject({ reason: 'INVALID_ARTIFACT_KEY' });
      await expect(storage.presignGet(key('x'), { expiresInS: 8 * 24 * 3600 })).rejects.toMatchObject({ reason: 'INVALID_EXPIRY' });
    });
  });

  describe('public endpoint', () => {
    it('signs URLs for the public host, and they work there', async () => {
      // The server talks to 127.0.0.1; outside clients reach the same S3 as localhost.
      const publicStorage = new MinioObjectStorage(options({ publicBaseUrl: `http://localhost:${s3.port}` }));
      const put = await publicStorage.presignPut(key('public.txt'), { expiresInS: 60 });
      expect(put.url.startsWith(`http://localhost:${s3.port}/${bucket}/runs/${RUN}/public.txt?`)).toBe(true);
      expect((await fetch(put.url, { method: 'PUT', body: 'through the public host' })).status).toBe(200);

      const get = await publicStorage.presignGet(key('public.txt'), { expiresInS: 60 });
      expect(await (await fetch(get.url)).text()).toBe('through the public host');

      // Rewriting the host of a URL signed for the internal one breaks the signature, as on MinIO.
      const rewritten = new URL((await storage.presignGet(key('public.txt'), { expiresInS: 60 })).url);
      rewritten.hostname = 'localhost';
      expect((await fetch(rewritten)).status).toBe(403);
    });

    it('presigns without any network access', async () => {
      const unreachable = new MinioObjectStorage(options({ endPoint: 'http://127.0.0.1:1', publicBaseUrl: 'https://files.example.com' }));
      const get = await unreachable.presignGet(key('x.txt'), { expiresInS: 60 });
      expect(get.url.startsWith(`https://files.example.com/${bucket}/runs/${RUN}/x.txt?`)).toBe(true);
    });
  });

  describe('putObject, getObject, stat, list and delete', () => {
    const other = randomUUID();
    const otherKey = (name: string) => `runs/${other}/${name}`;

    beforeAll(async () => {
      await storage.putObject(otherKey('plots/loss.png'), Buffer.from('loss'), 'image/png');
      await storage.putObject(otherKey('plots/acc.png'), Readable.from([Buffer.from('ac'), Buffer.from('c')]));
      await storage.putObject(otherKey('paper.pdf'), Buffer.from('%PDF'), 'application/pdf');
    });

    it('reads back what was put, from a buffer or a stream', async () => {
      expect(await text(await storage.getObject(otherKey('plots/loss.png')))).toBe('loss');
      expect(await text(await storage.getObject(otherKey('plots/acc.png')))).toBe('acc');
      expect(await storage.stat(otherKey('paper.pdf'))).toMatchObject({ size: 4, contentType: 'application/pdf', etag: md5(Buffer.from('%PDF')) });
    });

    it('answers null and NOT_FOUND for missing keys', async () => {
      expect(await storage.stat(otherKey('missing.txt'))).toBeNull();
      await expect(storage.getObject(otherKey('missing.txt'))).rejects.toMatchObject({ kind: 'NOT_FOUND', reason: 'ARTIFACT_OBJECT_NOT_FOUND' });
    });

    it('lists by prefix, sorted, with sizes and ETags', async () => {
      const listed = await storage.list(`runs/${other}/`);
      expect(listed.map((o) => o.key)).toEqual([otherKey('paper.pdf'), otherKey('plots/acc.png'), otherKey('plots/loss.png')]);
      expect(listed[2]).toMatchObject({ size: 4, etag: md5(Buffer.from('loss')) });
      expect((await storage.list(`runs/${other}/plots/`)).map((o) => o.key)).toEqual([otherKey('plots/acc.png'), otherKey('plots/loss.png')]);
      expect(await storage.list(`runs/${randomUUID()}/`)).toEqual([]);
    });

    it('deletes keys, ignoring missing ones', async () => {
      await storage.delete([otherKey('plots/loss.png'), otherKey('never-existed.txt'), otherKey('plots/acc.png')]);
      expect((await storage.list(`runs/${other}/`)).map((o) => o.key)).toEqual([otherKey('paper.pdf')]);
      await storage.delete([]);
      await expect(storage.delete(['../../etc/passwd'])).rejects.toMatchObject({ reason: 'INVALID_ARTIFACT_KEY' });
    });
  });
});
