import type { INestApplication } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import express from 'express';
import { LoggerModule } from 'nestjs-pino';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AllExceptionsFilter } from '../../../common/errors/all-exceptions.filter.js';
import { exceptStorageRoutes, FsStorageController } from './fs-storage.controller.js';
import { FsObjectStorage, FsObjectStorageOptions } from './fs.object-storage.js';

const RUN = randomUUID();
const MAX_PUT_BYTES = 4 * 1024 * 1024;
const SECRET = randomBytes(32);

interface StorageApp {
  app: INestApplication;
  url: string;
}

/** The controller in a small Nest app with the real exception filter, wired as the product wires it. */
async function startStorageApp(storage: FsObjectStorage, { defaultBodyParsers = false } = {}): Promise<StorageApp> {
  const moduleRef = await Test.createTestingModule({
    imports: [LoggerModule.forRoot({ pinoHttp: { level: 'silent' } })],
    controllers: [FsStorageController],
    providers: [
      { provide: FsObjectStorage, useValue: storage },
      { provide: APP_FILTER, useClass: AllExceptionsFilter },
    ],
  }).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ bodyParser: defaultBodyParsers });
  if (!defaultBodyParsers) app.use(exceptStorageRoutes(express.json()), exceptStorageRoutes(express.urlencoded({ extended: true })));
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}` };
}

/** A request with the path exactly as given: fetch would resolve `..` and `%2e%2e` before sending. */
function rawRequest(url: string, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    // Options, not a URL string: a URL would be parsed, and its dot segments resolved, by Node.
    const req = httpRequest({ hostname, port, path, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest('hex');

function streamOf(bytes: Buffer, chunkSize = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(new Uint8Array(bytes.subarray(offset, offset + chunkSize)));
      offset += chunkSize;
    },
  });
}

const streamedPut = (url: string, bytes: Buffer, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'PUT', body: streamOf(bytes), headers, duplex: 'half' });

describe('FsStorageController (signed URLs over HTTP)', () => {
  let dir: string;
  let storage: FsObjectStorage;
  let server: StorageApp;
  const options = (overrides: Partial<FsObjectStorageOptions> = {}): FsObjectStorageOptions => ({
    dir,
    publicBaseUrl: server?.url ?? 'http://127.0.0.1:1',
    secret: SECRET,
    maxPutBytes: MAX_PUT_BYTES,
    ...overrides,
  });
  const key = (name: string) => `runs/${RUN}/${name}`;
  const filesIn = (sub: string) => readdirSync(join(dir, sub), { recursive: true }) as string[];
  const objectFile = (name: string) => join(dir, 'objects', 'runs', RUN, ...name.split('/'));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'orch-fs-storage-'));
    // Serving needs only the directory and the secret; the instance that signs must know the port.
    server = await startStorageApp(new FsObjectStorage(options()));
    storage = new FsObjectStorage(options());
    await storage.ensureReady();
  });
  afterAll(async () => {
    await server.app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('PUT then GET', () => {
    it('returns the same bytes with content type, length, ETag and an attachment disposition', async () => {
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      const put = await storage.presignPut(key('data/weights.bin'), { expiresInS: 300, contentType: 'application/octet-stream' });
      expect(put.method).toBe('PUT');
      expect(put.url).toMatch(new RegExp(`^${server.url}/api/storage/runs/${RUN}/data/weights\\.bin\\?`));
      expect(put.expiresAt.getTime()).toBeGreaterThan(Date.now() + 290_000);

      const uploaded = await fetch(put.url, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
      expect(uploaded.status).toBe(200);
      expect(uploaded.headers.get('etag')).toBe(`"${md5(bytes)}"`);

      const get = await storage.presignGet(key('data/weights.bin'), { expiresInS: 300 });
      const downloaded = await fetch(get.url);
      expect(downloaded.status).toBe(200);
      expect(downloaded.headers.get('content-type')).toBe('application/octet-stream');
      expect(downloaded.headers.get('content-length')).toBe(String(bytes.length));
      expect(downloaded.headers.get('etag')).toBe(`"${md5(bytes)}"`);
      expect(downloaded.headers.get('content-disposition')).toBe(`attachment; filename="weights.bin"; filename*=UTF-8''weights.bin`);
      expect(downloaded.headers.get('x-content-type-options')).toBe('nosniff');
      expect(Buffer.from(await downloaded.arrayBuffer()).equals(bytes)).toBe(true);
      expect(filesIn('uploads')).toEqual([]);
    });

    it('streams a chunked upload of unknown length to disk', async () => {
      const bytes = randomBytes(2 * 1024 * 1024 + 5);
      const put = await storage.presignPut(key('streamed.bin'), { expiresInS: 60 });
      const uploaded = await streamedPut(put.url, bytes);
      expect(uploaded.status).toBe(200);

      const downloaded = await fetch((await storage.presignGet(key('streamed.bin'), { expiresInS: 60 })).url);
      expect(Buffer.from(await downloaded.arrayBuffer()).equals(bytes)).toBe(true);
      expect(await storage.stat(key('streamed.bin'))).toMatchObject({ size: bytes.length, etag: md5(bytes), contentType: null });
    });

    it('keeps a JSON artifact byte for byte (body parsers leave storage routes alone)', async () => {
      const json = Buffer.from(`{"b": 1,\n  "a": [${'1,'.repeat(80_000)}1]}`);
      const put = await storage.presignPut(key('idea.json'), { expiresInS: 60, contentType: 'application/json' });
      expect((await fetch(put.url, { method: 'PUT', body: json, headers: { 'content-type': 'application/json' } })).status).toBe(200);

      const downloaded = await fetch((await storage.presignGet(key('idea.json'), { expiresInS: 60 })).url);
      expect(downloaded.headers.get('content-type')).toBe('application/json');
      expect(Buffer.from(await downloaded.arrayBuffer()).equals(json)).toBe(true);
    });

    it('replaces an object that is uploaded again', async () => {
      for (const text of ['first version', 'second']) {
        const put = await storage.presignPut(key('notes.txt'), { expiresInS: 60 });
        await fetch(put.url, { method: 'PUT', body: text, headers: { 'content-type': 'text/plain' } });
      }
      const downloaded = await fetch((await storage.presignGet(key('notes.txt'), { expiresInS: 60 })).url);
      expect(await downloaded.text()).toBe('second');
      expect(downloaded.headers.get('content-type')).toBe('text/plain');
    });

    it('answers HEAD with the headers and no body', async () => {
      await storage.putObject(key('head.txt'), Buffer.from('hello'), 'text/plain');
      const response = await fetch((await storage.presignGet(key('head.txt'), { expiresInS: 60 })).url, { method: 'HEAD' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-length')).toBe('5');
      expect(await response.text()).toBe('');
    });

    it('serves keys with spaces, percent signs and non-ASCII names', async () => {
      const name = 'figures/Loss 100% – 图表.png';
      await storage.putObject(key(name), Buffer.from('png bytes'), 'image/png');
      const get = await storage.presignGet(key(name), { expiresInS: 60 });
      const response = await fetch(get.url);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('png bytes');
      expect(response.headers.get('content-disposition')).toBe(
        `attachment; filename="Loss 100_ _ __.png"; filename*=UTF-8''Loss%20100%25%20%E2%80%93%20%E5%9B%BE%E8%A1%A8.png`,
      );
    });
  });

  describe('content type and disposition', () => {
    beforeAll(async () => {
      await storage.putObject(key('plots/loss.png'), Buffer.from('png'), 'image/png');
      await storage.putObject(key('paper.pdf'), Buffer.from('%PDF-1.7'), 'application/pdf');
      await storage.putObject(key('report.html'), Buffer.from('<script>alert(1)</script>'), 'text/html');
    });

    const headersOf = async (name: string, options: Parameters<FsObjectStorage['presignGet']>[1]) => {
      const response = await fetch((await storage.presignGet(key(name), options)).url);
      expect(response.status).toBe(200);
      return { type: response.headers.get('content-type'), disposition: response.headers.get('content-disposition') };
    };

    it('shows images and PDFs inline when asked', async () => {
      expect(await headersOf('plots/loss.png', { expiresInS: 60, inline: true })).toEqual({
        type: 'image/png',
        disposition: `inline; filename="loss.png"; filename*=UTF-8''loss.png`,
      });
      expect((await headersOf('paper.pdf', { expiresInS: 60, inline: true })).disposition).toMatch(/^inline;/);
    });

    it('keeps anything else an attachment even when inline is asked', async () => {
      expect(await headersOf('report.html', { expiresInS: 60, inline: true })).toEqual({
        type: 'text/html',
        disposition: `attachment; filename="report.html"; filename*=UTF-8''report.html`,
      });
    });

    it('uses the download name and content type the URL was signed with', async () => {
      expect(await headersOf('paper.pdf', { expiresInS: 60, downloadName: 'Sparse attention – final.pdf', contentType: 'application/x-pdf' })).toEqual({
        type: 'application/x-pdf',
        disposition: `attachment; filename="Sparse attention _ final.pdf"; filename*=UTF-8''Sparse%20attention%20%E2%80%93%20final.pdf`,
      });
    });

    it('records the content type signed into the PUT URL when the upload sends none', async () => {
      const put = await storage.presignPut(key('plots/acc.png'), { expiresInS: 60, contentType: 'image/png' });
      const blob = new Blob([Buffer.from('png')]);
      // A Blob without a type makes fetch send no Content-Type at all.
      expect((await fetch(put.url, { method: 'PUT', body: blob })).status).toBe(200);
      expect(await storage.stat(key('plots/acc.png'))).toMatchObject({ contentType: 'image/png' });
    });

    it('refuses an upload whose content type differs from the signed one', async () => {
      const put = await storage.presignPut(key('plots/other.png'), { expiresInS: 60, contentType: 'image/png' });
      const response = await fetch(put.url, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/html' } });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ reason: 'CONTENT_TYPE_MISMATCH' });
      expect(existsSync(objectFile('plots/other.png'))).toBe(false);
    });

    it('refuses to sign a malformed content type', async () => {
      await expect(storage.presignPut(key('x.txt'), { expiresInS: 60, contentType: 'text/html\r\nSet-Cookie: a=b' })).rejects.toMatchObject({
        reason: 'INVALID_CONTENT_TYPE',
      });
    });
  });

  describe('refusals', () => {
    const expectRefused = async (response: Response, status: number, reason: string) => {
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(await response.json()).toMatchObject({ status, reason });
    };

    it('refuses an expired URL with 403 SIGNATURE_EXPIRED and writes nothing', async () => {
      const past = new FsObjectStorage(options({ now: () => Date.now() - 3600_000 }));
      const put = await past.presignPut(key('late.txt'), { expiresInS: 60 });
      await expectRefused(await fetch(put.url, { method: 'PUT', body: 'late' }), 403, 'SIGNATURE_EXPIRED');
      expect(existsSync(objectFile('late.txt'))).toBe(false);

      await storage.putObject(key('old.txt'), Buffer.from('old'));
      await expectRefused(await fetch((await past.presignGet(key('old.txt'), { expiresInS: 60 })).url), 403, 'SIGNATURE_EXPIRED');
    });

    it('refuses a tampered URL with 403 SIGNATURE_INVALID and writes nothing', async () => {
      const put = new URL((await storage.presignPut(key('tampered.txt'), { expiresInS: 60 })).url);
      const later = new URL(put);
      later.searchParams.set('X-Expires', String(Number(put.searchParams.get('X-Expires')) + 3600));
      await expectRefused(await fetch(later, { method: 'PUT', body: 'x' }), 403, 'SIGNATURE_INVALID');

      const forged = new URL(put);
      const signature = put.searchParams.get('X-Signature')!;
      forged.searchParams.set('X-Signature', `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`);
      await expectRefused(await fetch(forged, { method: 'PUT', body: 'x' }), 403, 'SIGNATURE_INVALID');

      const unsigned = new URL(put);
      unsigned.searchParams.delete('X-Signature');
      await expectRefused(await fetch(unsigned, { method: 'PUT', body: 'x' }), 403, 'SIGNATURE_INVALID');

      const retyped = new URL(put);
      retyped.searchParams.set('X-Content-Type', 'text/html');
      await expectRefused(await fetch(retyped, { method: 'PUT', body: 'x' }), 403, 'SIGNATURE_INVALID');

      const wrongSecret = new FsObjectStorage(options({ secret: randomBytes(32) }));
      await expectRefused(await fetch((await wrongSecret.presignPut(key('tampered.txt'), { expiresInS: 60 })).url, { method: 'PUT', body: 'x' }), 403, 'SIGNATURE_INVALID');
      expect(existsSync(objectFile('tampered.txt'))).toBe(false);
    });

    it('refuses a URL used with the wrong method with 403 SIGNATURE_METHOD_MISMATCH', async () => {
      await storage.putObject(key('method.txt'), Buffer.from('original'));
      const get = await storage.presignGet(key('method.txt'), { expiresInS: 60 });
      await expectRefused(await fetch(get.url, { method: 'PUT', body: 'overwritten' }), 403, 'SIGNATURE_METHOD_MISMATCH');
      expect(await (await fetch(get.url)).text()).toBe('original');

      const put = await storage.presignPut(key('method.txt'), { expiresInS: 60 });
      await expectRefused(await fetch(put.url), 403, 'SIGNATURE_METHOD_MISMATCH');
    });

    it('refuses a signature made for another key', async () => {
      const put = new URL((await storage.presignPut(key('allowed.txt'), { expiresInS: 60 })).url);
      const elsewhere = new URL(put);
      elsewhere.pathname = `/api/storage/runs/${RUN}/elsewhere.txt`;
      await expectRefused(await fetch(elsewhere, { method: 'PUT', body: 'x' }), 403, 'SIGNATURE_INVALID');
      const otherRun = new URL(put);
      otherRun.pathname = `/api/storage/runs/${randomUUID()}/allowed.txt`;
      await expectRefused(await fetch(otherRun, { method: 'PUT', body: 'x' }), 403, 'SIGNATURE_INVALID');
      expect(existsSync(objectFile('elsewhere.txt'))).toBe(false);
    });

    it.each([
      ['dot-dot segments', (q: string) => `/api/storage/runs/${RUN}/../../../etc/passwd?${q}`],
      ['encoded dot-dot segments', (q: string) => `/api/storage/runs/${RUN}/%2e%2e/%2e%2e/x?${q}`],
      ['double-encoded dot-dot segments', (q: string) => `/api/storage/runs/${RUN}/%252e%252e/x?${q}`],
      ['encoded slashes', (q: string) => `/api/storage/runs/${RUN}/..%2f..%2fx?${q}`],
      ['encoded backslashes', (q: string) => `/api/storage/runs/${RUN}/..%5c..%5cx?${q}`],
      ['encoded NUL', (q: string) => `/api/storage/runs/${RUN}/x%00.txt?${q}`],
      ['empty segments', (q: string) => `/api/storage/runs/${RUN}//x?${q}`],
      ['keys outside runs/', (q: string) => `/api/storage/etc/passwd?${q}`],
    ])('refuses %s with 400 INVALID_ARTIFACT_KEY whatever the signature is valid for', async (_, path) => {
      const query = new URL((await storage.presignPut(key('x'), { expiresInS: 60 })).url).search.slice(1);
      for (const method of ['GET', 'PUT']) {
        const response = await rawRequest(server.url, method, path(query));
        expect(response.status).toBe(400);
        expect(JSON.parse(response.body)).toMatchObject({ reason: 'INVALID_ARTIFACT_KEY' });
      }
      expect(filesIn('objects').filter((f) => f.includes('passwd') || f.endsWith('x'))).toEqual([]);
    });

    it('answers 404 for a signed URL of a missing object', async () => {
      await expectRefused(await fetch((await storage.presignGet(key('missing.txt'), { expiresInS: 60 })).url), 404, 'ARTIFACT_OBJECT_NOT_FOUND');
    });

    it('refuses an upload over the limit by Content-Length up front with 413', async () => {
      const put = await storage.presignPut(key('too-big.bin'), { expiresInS: 60 });
      await expectRefused(await fetch(put.url, { method: 'PUT', body: randomBytes(MAX_PUT_BYTES + 1) }), 413, 'ARTIFACT_TOO_LARGE');
      expect(existsSync(objectFile('too-big.bin'))).toBe(false);
      expect(filesIn('uploads')).toEqual([]);
    });

    it('stops a streamed upload as soon as it passes the limit, with 413 and no partial file', async () => {
      await storage.putObject(key('kept.bin'), Buffer.from('previous version'));
      const put = await storage.presignPut(key('kept.bin'), { expiresInS: 60 });
      await expectRefused(await streamedPut(put.url, randomBytes(MAX_PUT_BYTES + 256 * 1024)), 413, 'ARTIFACT_TOO_LARGE');
      expect(filesIn('uploads')).toEqual([]);
      // The previous version is untouched; the server still answers on new connections.
      expect(await (await fetch((await storage.presignGet(key('kept.bin'), { expiresInS: 60 })).url)).text()).toBe('previous version');
    });

    it('accepts an upload of exactly the limit', async () => {
      const bytes = randomBytes(MAX_PUT_BYTES);
      const put = await storage.presignPut(key('exact.bin'), { expiresInS: 60 });
      expect((await streamedPut(put.url, bytes)).status).toBe(200);
      expect(await storage.stat(key('exact.bin'))).toMatchObject({ size: MAX_PUT_BYTES, etag: md5(bytes) });
    });

    it('asks a publicBaseUrl function at every presign', async () => {
      let base = 'http://first.example:1';
      const late = new FsObjectStorage(options({ publicBaseUrl: () => base }));
      expect((await late.presignGet(key('x.txt'), { expiresInS: 60 })).url).toMatch(/^http:\/\/first\.example:1\/api\/storage\//);
      base = `${server.url}/`;
      await storage.putObject(key('late.txt'), Buffer.from('late'));
      expect(await (await fetch((await late.presignGet(key('late.txt'), { expiresInS: 60 })).url)).text()).toBe('late');
    });

    it('refuses to sign lifetimes outside 1 s to 7 days', async () => {
      for (const expiresInS of [0, -1, 1.5, 7 * 24 * 3600 + 1]) {
        await expect(storage.presignGet(key('x.txt'), { expiresInS })).rejects.toMatchObject({ reason: 'INVALID_EXPIRY' });
      }
    });
  });

  describe('wiring', () => {
    it('fails loudly, writing nothing, when a body parser consumed the upload first', async () => {
      const other = await startStorageApp(new FsObjectStorage({ ...options(), publicBaseUrl: 'http://unused' }), { defaultBodyParsers: true });
      try {
        const withDefaults = new FsObjectStorage(options({ publicBaseUrl: other.url }));
        const put = await withDefaults.presignPut(key('parsed.json'), { expiresInS: 60 });
        const response = await fetch(put.url, { method: 'PUT', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
        expect(response.status).toBe(500);
        expect(existsSync(objectFile('parsed.json'))).toBe(false);
      } finally {
        await other.app.close();
      }
    });
  });
});

describe('FsObjectStorage', () => {
  let dir: string;
  let storage: FsObjectStorage;
  const key = (name: string) => `runs/${RUN}/${name}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'orch-fs-objects-'));
    storage = new FsObjectStorage({ dir, publicBaseUrl: 'http://127.0.0.1:3000', secret: SECRET, maxPutBytes: MAX_PUT_BYTES });
    await storage.ensureReady();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const text = async (stream: NodeJS.ReadableStream) => {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString('utf8');
  };

  describe('putObject, stat and getObject', () => {
    it('stores a buffer with its content type and reports size, ETag and time', async () => {
      const before = Date.now() - 1000;
      await storage.putObject(key('a.txt'), Buffer.from('alpha'), 'text/plain; charset=utf-8');
      const stat = await storage.stat(key('a.txt'));
      expect(stat).toMatchObject({ key: key('a.txt'), size: 5, contentType: 'text/plain; charset=utf-8', etag: md5(Buffer.from('alpha')) });
      expect(stat!.lastModified!.getTime()).toBeGreaterThan(before);
      expect(await text(await storage.getObject(key('a.txt')))).toBe('alpha');
    });

    it('stores a stream', async () => {
      const { Readable } = await import('node:stream');
      await storage.putObject(key('nested/deep/b.log'), Readable.from([Buffer.from('be'), 'ta']));
      expect(await storage.stat(key('nested/deep/b.log'))).toMatchObject({ size: 4, contentType: null });
      expect(await text(await storage.getObject(key('nested/deep/b.log')))).toBe('beta');
    });

    it('answers null and NOT_FOUND for missing keys, and for folders', async () => {
      expect(await storage.stat(key('missing.txt'))).toBeNull();
      expect(await storage.stat(key('nested'))).toBeNull();
      expect(await storage.stat(key('a.txt/below'))).toBeNull();
      await expect(storage.getObject(key('missing.txt'))).rejects.toMatchObject({ kind: 'NOT_FOUND', reason: 'ARTIFACT_OBJECT_NOT_FOUND' });
      await expect(storage.getObject(key('nested'))).rejects.toMatchObject({ reason: 'ARTIFACT_OBJECT_NOT_FOUND' });
    });

    it('refuses a key that is both a file and a folder with CONFLICT', async () => {
      await expect(storage.putObject(key('a.txt/below.txt'), Buffer.from('x'))).rejects.toMatchObject({ kind: 'CONFLICT', reason: 'ARTIFACT_KEY_CONFLICT' });
      await expect(storage.putObject(key('nested/deep'), Buffer.from('x'))).rejects.toMatchObject({ reason: 'ARTIFACT_KEY_CONFLICT' });
      expect(readdirSync(join(dir, 'uploads'))).toEqual([]);
    });

    it('validates keys like artifactKey does', async () => {
      await expect(storage.putObject(`runs/${RUN}/../escape.txt`, Buffer.from('x'))).rejects.toMatchObject({ reason: 'INVALID_ARTIFACT_KEY' });
      await expect(storage.stat('escape.txt')).rejects.toMatchObject({ reason: 'INVALID_ARTIFACT_KEY' });
      expect(existsSync(join(dir, 'objects', 'runs', 'escape.txt'))).toBe(false);
    });
  });

  describe('list', () => {
    const other = randomUUID();
    beforeAll(async () => {
      for (const name of ['plots/loss.png', 'plots/acc.png', 'plots-old/x.png', 'paper.pdf']) {
        await storage.putObject(`runs/${other}/${name}`, Buffer.from(name));
      }
    });

    it('lists everything under a folder prefix, sorted, with sizes', async () => {
      const objects = await storage.list(`runs/${other}/`);
      expect(objects.map((o) => o.key)).toEqual(['paper.pdf', 'plots-old/x.png', 'plots/acc.png', 'plots/loss.png'].map((n) => `runs/${other}/${n}`));
      expect(objects[0]).toMatchObject({ size: 'paper.pdf'.length, etag: md5(Buffer.from('paper.pdf')), contentType: null });
    });

    it('treats the prefix as a string prefix, as S3 does', async () => {
      expect((await storage.list(`runs/${other}/plots`)).map((o) => o.key)).toEqual(
        ['plots-old/x.png', 'plots/acc.png', 'plots/loss.png'].map((n) => `runs/${other}/${n}`),
      );
      expect((await storage.list(`runs/${other}/plots/`)).map((o) => o.key)).toEqual(['plots/acc.png', 'plots/loss.png'].map((n) => `runs/${other}/${n}`));
    });

    it('answers an empty list for an unknown prefix and refuses a traversing one', async () => {
      expect(await storage.list(`runs/${randomUUID()}/`)).toEqual([]);
      await expect(storage.list('runs/../../')).rejects.toMatchObject({ reason: 'INVALID_ARTIFACT_KEY' });
    });
  });

  describe('delete', () => {
    it('deletes the keys and ignores missing ones', async () => {
      await storage.putObject(key('del/1.txt'), Buffer.from('1'), 'text/plain');
      await storage.putObject(key('del/2.txt'), Buffer.from('2'));
      await storage.delete([key('del/1.txt'), key('del/never.txt'), key('del/2.txt'), key('del')]);
      expect(await storage.list(key('del/'))).toEqual([]);
      expect(existsSync(join(dir, 'meta', 'runs', RUN, 'del', '1.txt'))).toBe(false);
      await storage.delete([]);
    });

    it('removes the folders a deletion leaves empty, and keeps those still in use', async () => {
      await storage.putObject(key('tree/a/1.txt'), Buffer.from('1'));
      await storage.putObject(key('tree/b/2.txt'), Buffer.from('2'));
      await storage.delete([key('tree/a/1.txt')]);
      expect(existsSync(join(dir, 'objects', 'runs', RUN, 'tree', 'a'))).toBe(false);
      expect(existsSync(join(dir, 'meta', 'runs', RUN, 'tree', 'a'))).toBe(false);
      expect(existsSync(join(dir, 'objects', 'runs', RUN, 'tree', 'b', '2.txt'))).toBe(true);
      await storage.delete([key('tree/b/2.txt')]);
      expect(existsSync(join(dir, 'objects', 'runs', RUN, 'tree'))).toBe(false);
      // A file in the same folder and a key that is now free to be a file.
      await storage.putObject(key('tree'), Buffer.from('a file now'));
      expect(await text(await storage.getObject(key('tree')))).toBe('a file now');
      await storage.delete([key('tree')]);
    });

    it('deletes nothing when one key of the batch is invalid', async () => {
      await storage.putObject(key('keep.txt'), Buffer.from('k'));
      await expect(storage.delete([key('keep.txt'), '../x'])).rejects.toMatchObject({ reason: 'INVALID_ARTIFACT_KEY' });
      expect(await storage.stat(key('keep.txt'))).not.toBeNull();
    });
  });

  describe('ensureReady', () => {
    it('creates its folders and sweeps uploads left by a crash long ago', async () => {
      const fresh = mkdtempSync(join(tmpdir(), 'orch-fs-fresh-'));
      try {
        const root = join(fresh, 'storage');
        const later = new FsObjectStorage({ dir: root, publicBaseUrl: 'http://x', secret: SECRET, maxPutBytes: 1, now: () => Date.now() + 2 * 24 * 3600_000 });
        await new FsObjectStorage({ dir: root, publicBaseUrl: 'http://x', secret: SECRET, maxPutBytes: 1 }).ensureReady();
        const { writeFileSync } = await import('node:fs');
        writeFileSync(join(root, 'uploads', 'crashed'), 'partial');
        await later.ensureReady();
        expect(readdirSync(root).sort()).toEqual(['meta', 'objects', 'uploads']);
        expect(readdirSync(join(root, 'uploads'))).toEqual([]);
      } finally {
        rmSync(fresh, { recursive: true, force: true });
      }
    });
  });
});
