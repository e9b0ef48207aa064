import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, ErrorKind } from '../common/errors/domain-error.js';
import { REDIS_CLIENT } from '../infra/redis/redis.module.js';

// Short, renewed while the work runs: a crashed holder blocks its run for seconds, not minutes.
const LEASE_MS = 5_000;
const RENEW_EVERY_MS = 1_500;
const WAIT_MS = 30_000;
// Renew and release only our own lease: another holder's must survive our late calls.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/**
 * One writer per run at a time, across every server instance: events are stored and projected
 * in one order. Within a process callers queue on a promise chain; across processes on a
 * Redis lease. Correctness does not rest on the lease alone (positions are allocated atomically,
 * projection is compare-and-set); it keeps concurrent writers from doing work twice.
 */
@Injectable()
export class RunLocks {
  private readonly local = new Map<string, Promise<unknown>>();

  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  async withLock<T>(runId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.local.get(runId) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(() => this.withLease(runId, work));
    this.local.set(runId, current);
    try {
      return await current;
    } finally {
      if (this.local.get(runId) === current) this.local.delete(runId);
    }
  }

  private async withLease<T>(runId: string, work: () => Promise<T>): Promise<T> {
    const key = `orchestrator:lock:run:${runId}`;
    const owner = randomUUID();
    const deadline = Date.now() + WAIT_MS;
    while ((await this.redis.set(key, owner, 'PX', LEASE_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline) {
        throw new DomainError(ErrorKind.Unavailable, 'RUN_BUSY', `Run ${runId} is busy; retry the request`, { runId, retryAfterS: 1 });
      }
      await sleep(5 + Math.random() * 20);
    }
    const renewal = setInterval(() => void this.redis.eval(RENEW, 1, key, owner, LEASE_MS).catch(() => undefined), RENEW_EVERY_MS);
    try {
      return await work();
    } finally {
      clearInterval(renewal);
      await this.redis.eval(RELEASE, 1, key, owner).catch(() => undefined);
    }
  }
}
