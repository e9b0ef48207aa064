import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { Env } from '../config/env.js';
import { REDIS_CLIENT } from '../infra/redis/redis.module.js';

// A sorted set of run ids scored by lease expiry: a holder that stops renewing (a crashed
// orchestrator) loses its slot when the lease runs out. Each script runs atomically in Redis.
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then
  redis.call('ZADD', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[3]), ARGV[1])
  return 1
end
return 0`;
const RENEW = `
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  redis.call('ZADD', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[3]), ARGV[1])
  return 1
end
return 0`;

/** The GPU slot semaphore (POD_SEMAPHORE_KEY, MAX_POD_SLOTS): at most that many runs hold a pod at once, across instances. */
@Injectable()
export class GpuSlots {
  private readonly key: string;
  private readonly leaseMs: number;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    private readonly env: Env,
  ) {
    this.key = env.POD_SEMAPHORE_KEY;
    this.leaseMs = env.SLOT_LEASE_S * 1000;
  }

  get max(): number {
    return this.env.MAX_POD_SLOTS;
  }

  /** Takes (or keeps) a slot for the run, waiting up to `timeoutMs`; false when none came free. */
  async acquire(runId: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const got = await this.redis.eval(ACQUIRE, 1, this.key, runId, Date.now(), this.leaseMs, this.max);
      if (got === 1) return true;
      if (Date.now() >= deadline) return false;
      await sleep(250);
    }
  }

  /** Extends the run's lease; false when it no longer holds a slot. */
  async renew(runId: string): Promise<boolean> {
    return (await this.redis.eval(RENEW, 1, this.key, runId, Date.now(), this.leaseMs)) === 1;
  }

  async release(runId: string): Promise<void> {
    await this.redis.zrem(this.key, runId);
  }

  /** The runs holding a live lease. */
  async holders(): Promise<string[]> {
    return this.redis.zrangebyscore(this.key, Date.now(), '+inf');
  }
}
