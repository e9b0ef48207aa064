import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { REDIS_CLIENT } from '../../infra/redis/redis.module.js';

// One bucket per key, refilled continuously at `rate` per second up to `burst`, by Redis' clock so
// that every instance agrees. A request is let through when the bucket holds what it costs (or is
// full, for a request costing more than the whole bucket); its cost is then taken even when that
// leaves the bucket in debt, so large batches pay in full and the long-run rate holds.
const TAKE = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
tokens = math.min(burst, tokens + math.max(0, now - at) * rate / 1000)
local need = math.min(cost, burst)
if tokens < need then
  return {0, math.ceil((need - tokens) * 1000 / rate)}
end
tokens = tokens - cost
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
return {1, 0}`;

export interface BucketLimit {
  /** Tokens added per second. */
  ratePerS: number;
  /** Most tokens the bucket holds. */
  burst: number;
}

export type TakeResult = { allowed: true } | { allowed: false; retryAfterMs: number };

/** Token buckets in Redis, shared by every server instance. */
@Injectable()
export class TokenBuckets {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis) {}

  async take(key: string, cost: number, limit: BucketLimit): Promise<TakeResult> {
    const [allowed, retryAfterMs] = (await this.redis.eval(TAKE, 1, key, limit.ratePerS, limit.burst, cost)) as [number, number];
    return allowed === 1 ? { allowed: true } : { allowed: false, retryAfterMs };
  }
}
