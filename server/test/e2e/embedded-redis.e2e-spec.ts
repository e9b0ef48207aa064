import { Queue } from 'bullmq';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedRedis, RedisNotInstalledError } from '../../src/infra/redis/embedded-redis.js';
import { RedisEndpoint } from '../../src/infra/redis/redis.module.js';
import { CREATE_HYPOTHESIS, createHypothesisInput, RUN } from '../support/graphql-operations.js';
import { dataOf, startTestApp } from '../support/test-app.js';

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('embedded Redis (no REDIS_URL)', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'orch-redis-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps queued jobs across a restart (append-only file in the data dir) and stops with the app', async () => {
    const first = await startTestApp({}, { dataDir: dir, keepData: true });
    const { run } = dataOf(await first.graphql(CREATE_HYPOTHESIS, createHypothesisInput())).createHypothesis;
    const pid = Number(readFileSync(join(dir, 'redis', 'redis.pid'), 'utf8'));
    await first.close();
    expect(isRunning(pid)).toBe(false);
    expect(existsSync(join(dir, 'redis', 'appendonlydir'))).toBe(true);

    const second = await startTestApp({}, { dataDir: dir, keepData: true });
    try {
      const found = dataOf(await second.graphql(RUN, { id: run.id })).run;
      expect(found).toMatchObject({ status: 'QUEUED', startJob: { id: run.id, state: 'waiting' } });
    } finally {
      await second.close();
    }
  });

  it('queues a QUEUED run again at start-up when its job was lost', async () => {
    const first = await startTestApp({}, { dataDir: dir, keepData: true });
    const { run } = dataOf(await first.graphql(CREATE_HYPOTHESIS, createHypothesisInput())).createHypothesis;
    const queue = new Queue('orchestrator', { connection: { url: first.app.get(RedisEndpoint).url } });
    await (await queue.getJob(run.id))!.remove();
    await queue.close();
    await first.close();

    const second = await startTestApp({}, { dataDir: dir, keepData: true });
    try {
      expect(dataOf(await second.graphql(RUN, { id: run.id })).run.startJob).toMatchObject({ id: run.id, state: 'waiting' });
    } finally {
      await second.close();
    }
  });

  it('stops a redis-server left behind by a crashed orchestrator before starting its own', async () => {
    const orphan = await EmbeddedRedis.start(join(dir, 'redis'));
    const orphanPid = Number(readFileSync(join(dir, 'redis', 'redis.pid'), 'utf8'));
    const fresh = await EmbeddedRedis.start(join(dir, 'redis'));
    try {
      expect(isRunning(orphanPid)).toBe(false);
      expect(fresh.port).not.toBe(orphan.port);
    } finally {
      await fresh.stop();
      await orphan.stop();
    }
  });

  it('explains how to fix a missing redis-server binary', async () => {
    const start = () => EmbeddedRedis.start(join(dir, 'redis'), { binary: 'redis-server-not-installed' });
    await expect(start()).rejects.toThrow(RedisNotInstalledError);
    await expect(start()).rejects.toThrow(/apt-get install redis-server.*REDIS_URL/s);
  });
});

describe('readiness with an external Redis (REDIS_URL)', () => {
  it('answers 503 naming redis when Redis goes away, and recovers when it is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-ext-redis-'));
    const redis = await EmbeddedRedis.start(join(dir, 'external'));
    const app = await startTestApp({ REDIS_URL: redis.url });
    try {
      expect((await fetch(`${app.url}/api/ready`)).status).toBe(200);
      // Redis stops answering for 3 s: longer than the 2 s readiness check waits.
      const sleeper = spawn('redis-cli', ['-p', String(redis.port), 'CLIENT', 'PAUSE', '3000', 'ALL']);
      const sleeperDone = once(sleeper, 'exit');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const response = await fetch(`${app.url}/api/ready`);
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await response.json()).toMatchObject({ status: 503, reason: 'NOT_READY', failing: ['redis'], detail: expect.stringMatching(/^redis: /) });
      await sleeperDone;
      expect((await fetch(`${app.url}/api/ready`)).status).toBe(200);
    } finally {
      await app.close();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
