import { existsSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateSigningSecret, SIGNED_PARAM, UrlSigner } from '../../src/artifacts/storage/fs/url-signer.js';
import { OBJECT_STORAGE, type ObjectStorage } from '../../src/artifacts/storage/object-storage.js';
import { RunStatus } from '../../src/runs/run.js';
import { RunsService } from '../../src/runs/runs.service.js';
import { bearer, fetchBytes, playDemoRun, presign, rawRequest, sha256 } from '../support/artifacts.js';
import { startedRun } from '../support/ingest.js';
import { dataOf, startTestApp, type TestApp } from '../support/test-app.js';

const OPERATOR = 'operator-token-0123456789abcdef';
const MAX_BYTES = 256 * 1024;

const RUN_ARTIFACTS = /* GraphQL */ `
  query RunArtifacts($id: ID!, $kinds: [String!]) {
    run(id: $id) {
      status
      paper { status artifactKey }
      paperArtifact { key kind contentType url }
      artifacts(kinds: $kinds) { runId key kind status bytes sha256 contentType url createdAt }
    }
  }
`;

const CREATE_UPLOAD_URL = /* GraphQL */ `
  mutation CreateUpload($runId: ID!, $filename: String!, $contentType: String) {
    createArtifactUploadUrl(runId: $runId, filename: $filename, contentType: $contentType) { url key expiresAt method }
  }
`;

const REGISTER = /* GraphQL */ `
  mutation Register($runId: ID!, $key: String!, $kind: String!) {
    registerArtifact(runId: $runId, key: $key, kind: $kind) { key kind status bytes sha256 contentType }
  }
`;

const DELETE_ARTIFACTS = /* GraphQL */ `
  mutation DeleteArtifacts($runId: ID!) { deleteRunArtifacts(runId: $runId) { runId deletedObjects deletedRecords } }
`;

describe('artifacts on the embedded fs storage (real app)', () => {
  let app: TestApp;
  let storage: ObjectStorage;
  const objectsOf = (runId: string) => {
    const dir = join(app.dataDir, 'artifacts', 'objects', 'runs', runId);
    return existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : [];
  };
  const artifactsOf = async (runId: string, kinds?: string[]) => dataOf(await app.graphql(RUN_ARTIFACTS, { id: runId, kinds }, OPERATOR)).run;
  const download = (runId: string, key: string, token: string | null = OPERATOR) =>
    fetchBytes(`${app.url}/api/artifacts/${runId}/${key.split('/').map(encodeURIComponent).join('/')}`, { headers: bearer(token ?? undefined) });

  beforeAll(async () => {
    app = await startTestApp({ API_TOKENS: `ops:${OPERATOR}`, ARTIFACT_MAX_BYTES: String(MAX_BYTES) });
    storage = app.app.get(OBJECT_STORAGE);
  });
  afterAll(() => app.close());

  it('reports the storage in /api/ready', async () => {
    const ready = await (await fetch(`${app.url}/api/ready`)).json();
    expect(ready).toMatchObject({ status: 'ready', storage: 'fs', checks: { storage: { status: 'ok' } } });
  });

  it('is not ready while the storage directory is unusable', async () => {
    const objects = join(app.dataDir, 'artifacts', 'objects');
    renameSync(objects, `${objects}.away`);
    try {
      const response = await fetch(`${app.url}/api/ready`);
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ reason: 'NOT_READY', failing: ['storage'] });
    } finally {
      renameSync(`${objects}.away`, objects);
    }
    expect((await fetch(`${app.url}/api/ready`)).status).toBe(200);
  });

  describe('the demo worker\'s uploads', () => {
    let run: { runId: string; token: string };
    let artifacts: any[];

    beforeAll(async () => {
      run = await startedRun(app, OPERATOR);
      const result = await playDemoRun(app, run);
      expect(result).toMatchObject({ outcome: 'completed', undelivered: 0 });
      artifacts = (await artifactsOf(run.runId)).artifacts;
    }, 60_000);

    it('are registered: plots and the paper, inside the run\'s prefix', () => {
      expect(artifacts.map((a) => a.kind)).toEqual(expect.arrayContaining(['plot', 'paper']));
      for (const artifact of artifacts) {
        expect(artifact).toMatchObject({ runId: run.runId, status: 'REGISTERED' });
        expect(artifact.key.startsWith(`runs/${run.runId}/`)).toBe(true);
      }
      expect(objectsOf(run.runId)).toEqual(expect.arrayContaining(artifacts.map((a) => a.key.slice(`runs/${run.runId}/`.length))));
    });

    it('download through /api/artifacts with the bytes the worker uploaded, inline for images and PDFs', async () => {
      for (const artifact of artifacts) {
        const response = await download(run.runId, artifact.key);
        expect(response.status).toBe(200);
        expect(response.bytes.length).toBe(artifact.bytes);
        expect(sha256(response.bytes)).toBe(artifact.sha256);
        expect(response.headers.get('content-type')).toBe(artifact.contentType);
        const name = artifact.key.split('/').at(-1);
        expect(response.headers.get('content-disposition')).toBe(`inline; filename="${name}"; filename*=UTF-8''${name}`);
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      }
    });

    it('also by the path relative to the run, and answer HEAD without a body', async () => {
      const paper = artifacts.find((a) => a.kind === 'paper');
      const relative = await download(run.runId, 'paper.pdf');
      expect(sha256(relative.bytes)).toBe(paper.sha256);
      const head = await fetch(`${app.url}/api/artifacts/${run.runId}/paper.pdf`, { method: 'HEAD', headers: bearer(OPERATOR) });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(paper.bytes));
    });

    it('have a short-lived Artifact.url that works without a token', async () => {
      for (const artifact of artifacts) {
        expect(artifact.url.startsWith(`${app.url}/api/storage/runs/${run.runId}/`)).toBe(true);
        const response = await fetchBytes(artifact.url);
        expect(response.status).toBe(200);
        expect(sha256(response.bytes)).toBe(artifact.sha256);
      }
    });

    it('give the run its paperArtifact and filter by kind', async () => {
      const state = await artifactsOf(run.runId, ['paper']);
      expect(state.paper).toMatchObject({ status: 'GENERATED', artifactKey: `runs/${run.runId}/paper.pdf` });
      expect(state.paperArtifact).toMatchObject({ key: `runs/${run.runId}/paper.pdf`, kind: 'paper', contentType: 'application/pdf' });
      expect(state.artifacts.map((a: any) => a.kind)).toEqual(['paper']);
    });

    it('can be fetched by the worker itself with a presigned GET', async () => {
      const paper = artifacts.find((a) => a.kind === 'paper');
      const signed = await presign(app, run.runId, { action: 'get', key: paper.key }, run.token);
      expect(signed.status).toBe(200);
      expect(signed.body).toEqual({ url: expect.any(String), key: paper.key, expiresAt: expect.any(String) });
      expect(sha256((await fetchBytes(signed.body.url)).bytes)).toBe(paper.sha256);
    });
  });

  describe('presign', () => {
    let run: { runId: string; token: string };
    let other: { runId: string; token: string };

    beforeAll(async () => {
      run = await startedRun(app, OPERATOR);
      other = await startedRun(app, OPERATOR);
    });

    it('answers { url, key, expiresAt } for the run\'s token and for an operator, expiring after PRESIGN_EXPIRY_S', async () => {
      for (const token of [run.token, OPERATOR]) {
        const before = Date.now();
        const signed = await presign(app, run.runId, { action: 'put', filename: 'notes/summary.md', content_type: 'text/markdown', kind: 'documentation' }, token);
        expect(signed.status).toBe(200);
        expect(signed.body.key).toBe(`runs/${run.runId}/notes/summary.md`);
        const expiresIn = new Date(signed.body.expiresAt).getTime() - before;
        expect(expiresIn).toBeGreaterThan(898_000);
        expect(expiresIn).toBeLessThanOrEqual(900_000);
      }
      const byKey = await presign(app, run.runId, { action: 'put', key: `runs/${run.runId}/code/train.py` }, run.token);
      expect(byKey.body.key).toBe(`runs/${run.runId}/code/train.py`);
    });

    it.each([
      ['a run token of another run', () => ({ runId: run.runId, token: other.token, body: { action: 'put', filename: 'x.txt' } }), 403, 'RUN_TOKEN_FOR_OTHER_RUN'],
      ['another run\'s key', () => ({ runId: run.runId, token: run.token, body: { action: 'put', key: `runs/${other.runId}/x.txt` } }), 403, 'ARTIFACT_OF_ANOTHER_RUN'],
      ['another run\'s key to read', () => ({ runId: run.runId, token: run.token, body: { action: 'get', key: `runs/${other.runId}/x.txt` } }), 403, 'ARTIFACT_OF_ANOTHER_RUN'],
      ['../', () => ({ runId: run.runId, token: run.token, body: { action: 'put', filename: '../x.txt' } }), 400, 'INVALID_ARTIFACT_KEY'],
      ['a/../../', () => ({ runId: run.runId, token: run.token, body: { action: 'put', filename: 'a/../../x.txt' } }), 400, 'INVALID_ARTIFACT_KEY'],
      ['URL-encoded ..', () => ({ runId: run.runId, token: run.token, body: { action: 'put', filename: '%2e%2e/x.txt' } }), 400, 'INVALID_ARTIFACT_KEY'],
      ['an encoded separator', () => ({ runId: run.runId, token: run.token, body: { action: 'put', filename: '..%2fx.txt' } }), 400, 'INVALID_ARTIFACT_KEY'],
      ['an absolute key', () => ({ runId: run.runId, token: run.token, body: { action: 'put', key: '/etc/passwd' } }), 400, 'INVALID_ARTIFACT_KEY'],
      ['a drive letter', () => ({ runId: run.runId, token: run.token, body: { action: 'put', filename: 'C:/x.txt' } }), 400, 'INVALID_ARTIFACT_KEY'],
      ['a backslash', () => ({ runId: run.runId, token: run.token, body: { action: 'put', filename: '..\\x.txt' } }), 400, 'INVALID_ARTIFACT_KEY'],
      ['a control character', () => ({ runId: run.runId, token: run.token, body: { action: 'put', filename: 'x\n.txt' } }), 400, 'INVALID_ARTIFACT_KEY'],
      ['an unknown action', () => ({ runId: run.runId, token: run.token, body: { action: 'delete', key: 'x.txt' } }), 400, 'VALIDATION_FAILED'],
      ['a put without filename or key', () => ({ runId: run.runId, token: run.token, body: { action: 'put' } }), 400, 'VALIDATION_FAILED'],
      ['both filename and key', () => ({ runId: run.runId, token: run.token, body: { action: 'put', filename: 'a.txt', key: 'b.txt' } }), 400, 'VALIDATION_FAILED'],
      ['a malformed content type', () => ({ runId: run.runId, token: run.token, body: { action: 'put', filename: 'a.txt', content_type: 'text' } }), 400, 'INVALID_CONTENT_TYPE'],
      ['a get of a missing object', () => ({ runId: run.runId, token: run.token, body: { action: 'get', key: 'missing.txt' } }), 404, 'ARTIFACT_OBJECT_NOT_FOUND'],
      ['an unknown run', () => ({ runId: '00000000-0000-4000-8000-000000000000', token: OPERATOR, body: { action: 'put', filename: 'x.txt' } }), 404, 'RUN_NOT_FOUND'],
      ['a run id that is not one', () => ({ runId: 'not-a-uuid', token: OPERATOR, body: { action: 'put', filename: 'x.txt' } }), 400, 'VALIDATION_FAILED'],
    ] as const)('refuses %s, writing nothing', async (_what, request, status, reason) => {
      const { runId, token, body } = request();
      const refused = await presign(app, runId, body, token);
      expect(refused.status).toBe(status);
      expect(refused.body).toMatchObject({ status, reason });
      expect(objectsOf(run.runId)).toEqual([]);
      expect(objectsOf(other.runId)).toEqual([]);
    });

    it('names the field and the rule of a malformed body', async () => {
      const refused = await presign(app, run.runId, { action: 'put', kind: 'Not A Kind' }, run.token);
      expect(refused.body.fields).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'filename', rule: 'isNotEmpty' }),
          expect.objectContaining({ field: 'kind', rule: 'matches' }),
        ]),
      );
    });

    it('refuses without a token, and with an unknown one', async () => {
      expect((await presign(app, run.runId, { action: 'put', filename: 'x.txt' })).status).toBe(401);
      expect((await presign(app, run.runId, { action: 'put', filename: 'x.txt' }, 'ort_not-a-token')).status).toBe(401);
    });
  });

  describe('signed upload URLs', () => {
    let run: { runId: string; token: string };
    let signer: UrlSigner;
    const signedUrl = (query: URLSearchParams, key: string) => `${app.url}/api/storage/${key}?${query.toString()}`;

    beforeAll(async () => {
      run = await startedRun(app, OPERATOR);
      signer = new UrlSigner(await loadOrCreateSigningSecret(join(app.dataDir, 'storage', 'signing.key')));
    });

    it('accept exactly one PUT of the signed key and content type', async () => {
      const signed = await presign(app, run.runId, { action: 'put', filename: 'ok.txt', content_type: 'text/plain' }, run.token);
      const put = await fetch(signed.body.url, { method: 'PUT', body: 'fine', headers: { 'content-type': 'text/plain' } });
      expect(put.status).toBe(200);
      expect(objectsOf(run.runId)).toEqual(['ok.txt']);
    });

    it('refuse an expired signature with 403 and write nothing', async () => {
      const key = `runs/${run.runId}/expired.txt`;
      const query = signer.sign({ method: 'PUT', key, expiresAt: Math.floor(Date.now() / 1000) - 5, contentType: null, downloadName: null, inline: false });
      const put = await fetch(signedUrl(query, key), { method: 'PUT', body: 'late' });
      expect(put.status).toBe(403);
      expect(await put.json()).toMatchObject({ reason: 'SIGNATURE_EXPIRED' });
      expect(objectsOf(run.runId)).not.toContain('expired.txt');
    });

    it('refuse a tampered signature, key, expiry or method with 403 and write nothing', async () => {
      const signed = await presign(app, run.runId, { action: 'put', filename: 'tampered.txt' }, run.token);
      const url = new URL(signed.body.url);
      const signature = url.searchParams.get(SIGNED_PARAM.signature)!;
      const attempts: URL[] = [];
      const flipped = new URL(url);
      flipped.searchParams.set(SIGNED_PARAM.signature, `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`);
      attempts.push(flipped);
      const otherKey = new URL(url);
      otherKey.pathname = url.pathname.replace('tampered.txt', 'elsewhere.txt');
      attempts.push(otherKey);
      const longer = new URL(url);
      longer.searchParams.set(SIGNED_PARAM.expires, String(Number(url.searchParams.get(SIGNED_PARAM.expires)) + 3600));
      attempts.push(longer);
      for (const attempt of attempts) {
        const put = await fetch(attempt, { method: 'PUT', body: 'evil' });
        expect(put.status).toBe(403);
      }
      const asGet = await fetch(url);
      expect(asGet.status).toBe(403);
      expect(objectsOf(run.runId)).not.toEqual(expect.arrayContaining(['tampered.txt']));
      expect(objectsOf(run.runId)).not.toEqual(expect.arrayContaining(['elsewhere.txt']));
    });

    it('refuse a signed URL whose path climbs out of the run, also URL-encoded', async () => {
      const signed = await presign(app, run.runId, { action: 'put', filename: 'climb.txt' }, run.token);
      const url = new URL(signed.body.url);
      for (const path of [
        url.pathname.replace('climb.txt', '../climb.txt'),
        url.pathname.replace('climb.txt', '%2e%2e/climb.txt'),
        url.pathname.replace('climb.txt', '..%2fclimb.txt'),
      ]) {
        const response = await rawRequest(app.url, 'PUT', `${path}${url.search}`);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
      }
      expect(objectsOf(run.runId)).not.toContain('climb.txt');
    });

    it('refuse a PUT larger than ARTIFACT_MAX_BYTES with 413 and keep nothing', async () => {
      const signed = await presign(app, run.runId, { action: 'put', filename: 'big.bin' }, run.token);
      const put = await fetch(signed.body.url, { method: 'PUT', body: Buffer.alloc(MAX_BYTES + 1, 1) });
      expect(put.status).toBe(413);
      expect(await put.json()).toMatchObject({ reason: 'ARTIFACT_TOO_LARGE', maxBytes: MAX_BYTES });
      expect(objectsOf(run.runId)).not.toContain('big.bin');
      expect(readdirSync(join(app.dataDir, 'artifacts', 'uploads'))).toEqual([]);
    });
  });

  describe('downloads through /api/artifacts', () => {
    let run: { runId: string; token: string };
    let other: { runId: string; token: string };

    beforeAll(async () => {
      run = await startedRun(app, OPERATOR);
      other = await startedRun(app, OPERATOR);
      // An object of `run` that was uploaded but never registered, and a registered one of `other`.
      await storage.putObject(`runs/${run.runId}/unregistered.txt`, Buffer.from('not an artifact'), 'text/plain');
      const upload = dataOf(await app.graphql(CREATE_UPLOAD_URL, { runId: other.runId, filename: 'secret.txt', contentType: 'text/plain' }, OPERATOR));
      await fetch(upload.createArtifactUploadUrl.url, { method: 'PUT', body: 'bytes of the other run', headers: { 'content-type': 'text/plain' } });
      dataOf(await app.graphql(REGISTER, { runId: other.runId, key: upload.createArtifactUploadUrl.key, kind: 'documentation' }, OPERATOR));
    });

    it('serve a registered artifact as an attachment when it is not an image or a PDF', async () => {
      const response = await download(other.runId, 'secret.txt');
      expect(response.status).toBe(200);
      expect(response.bytes.toString()).toBe('bytes of the other run');
      expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="secret.txt"/);
    });

    it.each([
      ['no token', () => download(other.runId, 'secret.txt', null), 401],
      ['a run token (operators only)', () => download(other.runId, 'secret.txt', other.token), 401],
      ['an object without a record', () => download(run.runId, 'unregistered.txt'), 404],
      ['another run\'s key under this run', () => download(run.runId, `runs/${other.runId}/secret.txt`), 403],
      ['a missing artifact', () => download(run.runId, 'nothing.txt'), 404],
      ['an unknown run', () => download('00000000-0000-4000-8000-000000000000', 'secret.txt'), 404],
    ] as const)('refuse %s', async (_what, request, status) => {
      const response = await request();
      expect(response.status).toBe(status);
      expect(response.bytes.toString()).not.toContain('bytes of the other run');
    });

    it.each([
      ['..', (r: string, o: string) => `/api/artifacts/${r}/../${o}/secret.txt`],
      ['%2e%2e', (r: string, o: string) => `/api/artifacts/${r}/%2e%2e/%2e%2e/${o}/secret.txt`],
      ['%2F', (r: string, o: string) => `/api/artifacts/${r}/..%2F..%2F${o}%2Fsecret.txt`],
      ['an absolute key', () => `/api/artifacts/${'/etc/passwd'}`],
    ])('refuse a path climbing out of the run with %s', async (_what, path) => {
      const response = await rawRequest(app.url, 'GET', path(run.runId, other.runId), bearer(OPERATOR));
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(response.body).not.toContain('bytes of the other run');
    });
  });

  describe('operator uploads and deletion', () => {
    it('createArtifactUploadUrl, PUT, registerArtifact make an artifact with its size and hash', async () => {
      const { runId } = await startedRun(app, OPERATOR);
      const bytes = Buffer.from('{"table": [1, 2, 3]}');
      const upload = dataOf(await app.graphql(CREATE_UPLOAD_URL, { runId, filename: 'extra/table.json', contentType: 'application/json' }, OPERATOR))
        .createArtifactUploadUrl;
      expect(upload).toMatchObject({ key: `runs/${runId}/extra/table.json`, method: 'PUT' });
      expect((await fetch(upload.url, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/json' } })).status).toBe(200);
      const registered = dataOf(await app.graphql(REGISTER, { runId, key: upload.key, kind: 'documentation' }, OPERATOR)).registerArtifact;
      expect(registered).toEqual({
        key: upload.key,
        kind: 'documentation',
        status: 'REGISTERED',
        bytes: bytes.length,
        sha256: sha256(bytes),
        contentType: 'application/json',
      });
      expect((await download(runId, 'extra/table.json')).bytes.toString()).toBe(bytes.toString());
    });

    it('registerArtifact refuses a key with nothing uploaded', async () => {
      const { runId } = await startedRun(app, OPERATOR);
      const response = await app.graphql(REGISTER, { runId, key: 'never-uploaded.txt', kind: 'documentation' }, OPERATOR);
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND', reason: 'ARTIFACT_OBJECT_NOT_FOUND' });
    });

    it('deleteRunArtifacts refuses a run that is not over, and deletes nothing', async () => {
      const { runId } = await startedRun(app, OPERATOR);
      await storage.putObject(`runs/${runId}/keep.txt`, Buffer.from('keep'));
      const response = await app.graphql(DELETE_ARTIFACTS, { runId }, OPERATOR);
      expect(response.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'RUN_NOT_FINAL', status: 'STARTING' });
      expect(objectsOf(runId)).toEqual(['keep.txt']);
    });

    it('deleteRunArtifacts removes every object and record of a final run', async () => {
      const run = await startedRun(app, OPERATOR);
      expect((await playDemoRun(app, run)).outcome).toBe('completed');
      await storage.putObject(`runs/${run.runId}/stray.txt`, Buffer.from('never registered'));
      const before = (await artifactsOf(run.runId)).artifacts;
      await app.app.get(RunsService).cancel(run.runId, 'test');

      const deleted = dataOf(await app.graphql(DELETE_ARTIFACTS, { runId: run.runId }, OPERATOR)).deleteRunArtifacts;
      expect(deleted).toEqual({ runId: run.runId, deletedObjects: before.length + 1, deletedRecords: before.length });
      expect(objectsOf(run.runId)).toEqual([]);
      const after = await artifactsOf(run.runId);
      expect(after).toMatchObject({ status: RunStatus.CANCELED, artifacts: [], paperArtifact: null });
      expect((await download(run.runId, 'paper.pdf')).status).toBe(404);
    }, 60_000);
  });
});
