import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startS3Server, type TestS3Server } from '../../../test/support/s3-server.js';
import { loadEnv } from '../../config/env.js';
import { createObjectStorage, listeningUrl, storageKindOf } from './create-object-storage.js';
import { FsObjectStorage } from './fs/fs.object-storage.js';
import { MinioObjectStorage } from './minio/minio.object-storage.js';
import { checkStorage } from './storage-check.js';

const SECRET = randomBytes(32);

// A loopback port nothing listens on.
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function check(storage: Parameters<typeof checkStorage>[0]) {
  const lines: string[] = [];
  const ok = await checkStorage(storage, { where: 'here', print: (line) => lines.push(line) });
  return { ok, lines };
}

describe('createObjectStorage', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'orch-storage-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('chooses fs without MINIO_ENDPOINT, under DATA_DIR/artifacts, with a signing key kept in DATA_DIR/storage', async () => {
    const env = loadEnv({ DATA_DIR: dir });
    expect(storageKindOf(env)).toBe('fs');
    const storage = await createObjectStorage(env, () => 'http://127.0.0.1:1234');
    expect(storage).toBeInstanceOf(FsObjectStorage);
    await storage.ensureReady();
    expect(readdirSync(join(dir, 'artifacts')).sort()).toEqual(['meta', 'objects', 'uploads']);
    expect(readdirSync(join(dir, 'storage'))).toEqual(['signing.key']);
    const { url, expiresAt } = await storage.presignGet('runs/r1/x.txt', { expiresInS: 60 });
    expect(url.startsWith('http://127.0.0.1:1234/api/storage/runs/r1/x.txt?')).toBe(true);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('signs fs URLs for PUBLIC_URL when set, and with STORAGE_SIGNING_SECRET instead of a key file', async () => {
    const env = loadEnv({ DATA_DIR: dir, PUBLIC_URL: 'https://orchestrator.example.com', STORAGE_SIGNING_SECRET: 'x'.repeat(40) });
    const storage = await createObjectStorage(env, () => 'http://127.0.0.1:1234');
    expect((await storage.presignPut('runs/r1/x.txt', { expiresInS: 60 })).url.startsWith('https://orchestrator.example.com/api/storage/')).toBe(true);
    expect(readdirSync(dir)).not.toContain('storage');
  });

  it('chooses minio when MINIO_ENDPOINT is set', async () => {
    const env = loadEnv({ DATA_DIR: dir, MINIO_ENDPOINT: 'http://127.0.0.1:1', MINIO_ACCESS_KEY: 'a', MINIO_SECRET_KEY: 'b' });
    expect(storageKindOf(env)).toBe('minio');
    expect(await createObjectStorage(env, () => 'unused')).toBeInstanceOf(MinioObjectStorage);
  });

  it('reaches a wildcard listening address through loopback', () => {
    expect(listeningUrl('0.0.0.0', 3000)).toBe('http://127.0.0.1:3000');
    expect(listeningUrl('::1', 3000)).toBe('http://[::1]:3000');
    expect(listeningUrl('127.0.0.1', 8080)).toBe('http://127.0.0.1:8080');
  });
});

describe('checkStorage', () => {
  describe('fs', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'orch-storage-check-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('passes every step, verifying the signed URL in-process when the orchestrator is not running, and leaves nothing behind', async () => {
      const storage = new FsObjectStorage({ dir, publicBaseUrl: `http://127.0.0.1:${await closedPort()}`, secret: SECRET, maxPutBytes: 1024 });
      const { ok, lines } = await check(storage);
      expect(ok).toBe(true);
      expect(lines.map((l) => l.split(':')[0])).toEqual(['✓ ready', '✓ put', '✓ presigned get', '✓ list', '✓ delete', 'storage check passed (fs)']);
      expect(lines[2]).toContain('verified in-process');
      expect(readdirSync(join(dir, 'objects'))).toEqual([]);
    });

    it('fails at the first broken step and skips the rest', async () => {
      const storage = new FsObjectStorage({ dir: join(dir, 'file'), publicBaseUrl: 'http://127.0.0.1:9', secret: SECRET, maxPutBytes: 1024 });
      await storage.ensureReady();
      rmSync(join(dir, 'file', 'objects'), { recursive: true });
      const broken = Object.assign(Object.create(storage) as FsObjectStorage, { ensureReady: async () => undefined });
      const { ok, lines } = await check(broken);
      expect(ok).toBe(false);
      expect(lines[0]).toMatch(/^✗ ready: .*ENOENT/);
      expect(lines.slice(1, 5)).toEqual(['- put: skipped', '- presigned get: skipped', '- list: skipped', '- delete: skipped']);
      expect(lines[5]).toBe('storage check FAILED (fs at here)');
    });
  });

  describe('minio', () => {
    let s3: TestS3Server;
    beforeAll(async () => {
      s3 = await startS3Server();
    });
    afterAll(() => s3.close());

    const minio = (bucket: string, endPoint = s3.endpoint) =>
      new MinioObjectStorage({ endPoint, accessKey: s3.accessKey, secretKey: s3.secretKey, bucket, region: 'us-east-1' });

    it('creates the bucket, then puts, fetches a presigned GET over HTTP, lists and deletes', async () => {
      const storage = minio(`check-${randomBytes(4).toString('hex')}`);
      const verified = s3.verifiedPresignedRequests();
      const { ok, lines } = await check(storage);
      expect(ok).toBe(true);
      expect(lines[2]).toContain(`fetched over HTTP from ${s3.endpoint}`);
      expect(s3.verifiedPresignedRequests()).toBe(verified + 1);
      expect(await storage.list('runs/')).toEqual([]);
    });

    it('reports an unreachable endpoint', async () => {
      const { ok, lines } = await check(minio('check-unreachable', 'http://127.0.0.1:1'));
      expect(ok).toBe(false);
      expect(lines[0]).toMatch(/^✗ ready: Object storage at http:\/\/127\.0\.0\.1:1\/check-unreachable is not available/);
    });

    it('ping refuses a missing bucket without creating it', async () => {
      const storage = minio(`missing-${randomBytes(4).toString('hex')}`);
      await expect(storage.ping()).rejects.toMatchObject({ reason: 'STORAGE_UNAVAILABLE', message: expect.stringContaining('bucket does not exist') });
      await expect(storage.ping()).rejects.toMatchObject({ reason: 'STORAGE_UNAVAILABLE' });
    });
  });
});
