import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { ANONYMOUS, type Principal } from '../../common/auth/principal.js';
import { Env } from '../../config/env.js';
import { ingestRateLimited } from '../events.errors.js';
import { TokenBuckets } from './token-bucket.js';

/** The bucket a caller's ingest requests draw from: its run, its operator token, or its address. */
export function ingestBucketKey(principal: Principal, address: string | undefined): string {
  switch (principal.kind) {
    case 'run':
      return `orchestrator:ratelimit:ingest:run:${principal.runId}`;
    case 'operator':
      return `orchestrator:ratelimit:ingest:operator:${principal.name}`;
    case 'anonymous':
      return `orchestrator:ratelimit:ingest:address:${address ?? 'unknown'}`;
  }
}

/** The events a request posts: its non-blank lines (a single event is one). */
export function eventCount(body: unknown): number {
  if (typeof body !== 'string') return 0;
  let count = 0;
  for (const line of body.split('\n')) if (line.trim().length > 0) count++;
  return count;
}

/**
 * Per-token ingest rate limit (INGEST_RATE_PER_S, INGEST_BURST), counted in events rather than
 * requests: a batch of 5,000 lines costs the server about what 5,000 single posts cost, so a
 * worker gets the same budget whichever way it sends. Beyond it: 429 with Retry-After.
 */
@Injectable()
export class IngestRateLimitGuard implements CanActivate {
  constructor(
    private readonly env: Env,
    private readonly buckets: TokenBuckets,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const { INGEST_RATE_PER_S: ratePerS, INGEST_BURST: burst, INGEST_MAX_BATCH_LINES: maxLines } = this.env;
    if (ratePerS === 0) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const cost = eventCount(request.body);
    // Empty and oversized requests are refused by the ingest itself and cost nothing.
    if (cost === 0 || cost > maxLines) return true;
    const result = await this.buckets.take(ingestBucketKey(request.principal ?? ANONYMOUS, request.ip), cost, { ratePerS, burst });
    if (!result.allowed) throw ingestRateLimited(cost, ratePerS, burst, result.retryAfterMs);
    return true;
  }
}
