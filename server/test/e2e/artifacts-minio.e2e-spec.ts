import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { OBJECT_STORAGE, type ObjectStorage } from '../../src/artifacts/storage/object-storage.js';
import { bearer, fetchBytes, playDemoRun, presign, sha256 } from '../support/artifacts.js';
import { startedRun } from '../support/ingest.js';
import { startS3Server, type TestS3Server } from '../support/s3-server.js';
import { dataOf, startTestApp, type TestApp } from '../support/test-app.js';

const OPERATOR = 'operator-token-0123456789abcdef';

const RUN_ARTIFACTS = /* GraphQL */ `
  query RunArtifacts($id: ID!) {
    run(id: $id) {
      paperArtifact { key url }
      artifacts { key kind status bytes sha256 contentType url }
    }
  }
`;

describe('artifacts on MinIO (s3rver) (real app)', () => {
  let s3: TestS3Server;
  let app: TestApp;
  let storage: ObjectStorage;
  const keysOf = async (runId: string) => (await storage.list(`runs/${runId}/`)).map((o) => o.key.slice(`runs/${runId}/`.length));
  const download = (runId: string, key: string, token = OPERATOR) =>
    fetch(`${app.url}/api/artifacts/${runId}/${key}`, { headers: bearer(token), redirect: 'manual' });

  beforeAll(async () => {
    s3 = await startS3Server();
    app = await startTestApp({
      API_TOKENS: `ops:${OPERATOR}`,
      MINIO_ENDPOINT: s3.endpoint,
      MINIO_ACCESS_KEY: s3.accessKey,
      MINIO_SECRET_KEY: s3.secretKey,
      MINIO_BUCKET: `artifacts-${randomBytes(4).toString('hex')}`,
    });
    storage = app.app.get(OBJECT_STORAGE);
  });
  afterAll(async () => {
    await app?.close();
    await s3?.close();
  });

  it('creates the bucket at start-up and reports the storage in /api/ready', async () => {
    expect(storage.kind).toBe('minio');
    const ready = await (await fetch(`${app.url}/api/ready`)).json();
    expect(ready).toMatchObject({ status: 'ready', storage: 'minio', checks: { storage: { status: 'ok' } } });
    // Signed storage URLs of the embedded store are not served when it is not the one configured.
    expect((await fetch(`${app.url}/api/storage/runs/r1/x.txt?X-Method=GET`)).status).toBe(404);
  });

  describe('the demo worker\'s uploads', () => {
    let run: { runId: string; token: string };
    let artifacts: any[];

    beforeAll(async () => {
      run = await startedRun(app, OPERATOR);
      const verifiedBefore = s3.verifiedPresignedRequests();
      const result = await playDemoRun(app, run);
      expect(result).toMatchObject({ outcome: 'completed', undelivered: 0 });
      artifacts = dataOf(await app.graphql(RUN_ARTIFACTS, { id: run.runId }, OPERATOR)).run.artifacts;
      // Every upload went straight to S3 through a presigned PUT whose signature S3 checked.
      expect(s3.verifiedPresignedRequests() - verifiedBefore).toBeGreaterThanOrEqual(artifacts.length);
    }, 60_000);

    it('land in the bucket under the run\'s prefix', async () => {
      expect(artifacts.map((a) => a.kind)).toEqual(expect.arrayContaining(['plot', 'paper']));
      expect(await keysOf(run.runId)).toEqual(expect.arrayContaining(artifacts.map((a) => a.key.slice(`runs/${run.runId}/`.length))));
    });

    it('download through /api/artifacts: a redirect to a short-lived URL with the uploaded bytes, images and PDFs inline', async () => {
      for (const artifact of artifacts) {
        const redirect = await download(run.runId, artifact.key);
        expect(redirect.status).toBe(302);
        const location = redirect.headers.get('location')!;
        expect(location.startsWith(`${s3.endpoint}/`)).toBe(true);
        expect(new URL(location).searchParams.get('X-Amz-Expires')).toBe('60');
        const response = await fetchBytes(location);
        expect(response.status).toBe(200);
        expect(sha256(response.bytes)).toBe(artifact.sha256);
        expect(response.bytes.length).toBe(artifact.bytes);
        expect(response.headers.get('content-type')).toBe(artifact.contentType);
        expect(response.headers.get('content-disposition')).toMatch(/^inline; filename="/);
      }
    });

    it('have an Artifact.url that downloads the same bytes', async () => {
      const { paperArtifact } = dataOf(await app.graphql(RUN_ARTIFACTS, { id: run.runId }, OPERATOR)).run;
      const paper = artifacts.find((a) => a.kind === 'paper');
      expect(paperArtifact.key).toBe(paper.key);
      expect(sha256((await fetchBytes(paperArtifact.url)).bytes)).toBe(paper.sha256);
    });

    it('are refused to a run token and to a key of another run', async () => {
      const other = await startedRun(app, OPERATOR);
      expect((await download(run.runId, 'paper.pdf', run.token)).status).toBe(401);
      expect((await download(other.runId, `runs/${run.runId}/paper.pdf`)).status).toBe(403);
      expect((await download(other.runId, 'paper.pdf')).status).toBe(404);
    });
  });

  describe('presign refusals', () => {
    let run: { runId: string; token: string };
    let other: { runId: string; token: string };

    beforeAll(async () => {
      run = await startedRun(app, OPERATOR);
      other = await startedRun(app, OPERATOR);
    });

    it.each([
      ['a run token of another run', () => [run.runId, { action: 'put', filename: 'x.txt' }, other.token] as const, 403],
      ['another run\'s key', () => [run.runId, { action: 'put', key: `runs/${other.runId}/x.txt` }, run.token] as const, 403],
      ['../', () => [run.runId, { action: 'put', filename: '../x.txt' }, run.token] as const, 400],
      ['URL-encoded ..', () => [run.runId, { action: 'put', filename: '%2E%2E/x.txt' }, run.token] as const, 400],
      ['an absolute key', () => [run.runId, { action: 'put', key: '/runs/x.txt' }, run.token] as const, 400],
    ])('refuses %s, and nothing reaches the bucket', async (_what, request, status) => {
      const [runId, body, token] = request();
      expect((await presign(app, runId, body, token)).status).toBe(status);
      expect(await keysOf(run.runId)).toEqual([]);
      expect(await keysOf(other.runId)).toEqual([]);
    });

    it('signs URLs that S3 refuses once tampered with or expired', async () => {
      const signed = await presign(app, run.runId, { action: 'put', filename: 'ok.txt' }, run.token);
      expect(signed.status).toBe(200);
      const tampered = new URL(signed.body.url);
      tampered.pathname = tampered.pathname.replace('ok.txt', 'other.txt');
      expect((await fetch(tampered, { method: 'PUT', body: 'evil' })).status).toBe(403);

      const short = await storage.presignPut(`runs/${run.runId}/late.txt`, { expiresInS: 1 });
      await delay(2100);
      expect((await fetch(short.url, { method: 'PUT', body: 'late' })).status).toBe(403);

      expect((await fetch(signed.body.url, { method: 'PUT', body: 'fine' })).status).toBe(200);
      expect(await keysOf(run.runId)).toEqual(['ok.txt']);
    });
  });

  it('deleteRunArtifacts empties the run\'s prefix in the bucket once the run is over', async () => {
    const run = await startedRun(app, OPERATOR);
    expect((await playDemoRun(app, run)).outcome).toBe('completed');
    const reviewed = await app.graphql(
      `mutation($id: ID!) { submitHumanValidation(runId: $id, verdict: PASS) { run { status } } }`,
      { id: run.runId },
      OPERATOR,
    );
    expect(dataOf(reviewed).submitHumanValidation.run.status).toBe('HUMAN_VALIDATED');
    const stored = (await keysOf(run.runId)).length;
    expect(stored).toBeGreaterThan(0);

    const deleted = dataOf(await app.graphql(`mutation($id: ID!) { deleteRunArtifacts(runId: $id) { deletedObjects deletedRecords } }`, { id: run.runId }, OPERATOR));
    expect(deleted.deleteRunArtifacts).toEqual({ deletedObjects: stored, deletedRecords: stored });
    expect(await keysOf(run.runId)).toEqual([]);
  }, 60_000);
});
