import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { OBJECT_STORAGE, type ObjectStorage } from '../artifacts/storage/object-storage.js';
import { DomainError, ErrorKind } from '../common/errors/domain-error.js';
import { StoreHealth } from '../infra/persistence/persistence.module.js';
import { REDIS_CLIENT } from '../infra/redis/redis.module.js';

export interface Check {
  status: 'ok' | 'failing';
  latencyMs: number;
  error?: string;
}

const CHECK_TIMEOUT_MS = 2000;

async function check(probe: () => Promise<unknown>): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS))),
    ]);
    return { status: 'ok', latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'failing', latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

@Injectable()
export class HealthService {
  private readonly startedAt = Date.now();

  constructor(
    private readonly store: StoreHealth,
    @Inject(REDIS_CLIENT) private readonly redis: Redis,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  liveness() {
    return { status: 'ok', uptimeS: Math.round((Date.now() - this.startedAt) / 1000) };
  }

  async readiness() {
    const [store, redis, storage] = await Promise.all([
      check(() => this.store.ping()),
      check(() => this.redis.ping()),
      check(() => this.storage.ping()),
    ]);
    const checks = { store, redis, storage };
    const failing = Object.entries(checks).filter(([, c]) => c.status !== 'ok');
    if (failing.length > 0) {
      throw new DomainError(
        ErrorKind.Unavailable,
        'NOT_READY',
        failing.map(([part, c]) => `${part}: ${c.error}`).join('; '),
        { failing: failing.map(([part]) => part), checks },
      );
    }
    return { status: 'ready', store: this.store.kind, storage: this.storage.kind, checks };
  }
}
