import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { createHash, randomBytes } from 'node:crypto';
import { RUN_TOKENS_REPOSITORY, type RunTokensRepository } from './run-tokens.repository.js';

const PREFIX = 'ort_';
const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Per-run ingest tokens: handed to a run's worker, valid for that run only, stored as a hash,
 * revocable. 256 random bits, so a fast hash is enough.
 */
@Injectable()
export class RunTokensService {
  constructor(
    @Inject(RUN_TOKENS_REPOSITORY) private readonly tokens: RunTokensRepository,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(RunTokensService.name);
  }

  /** A new token for the run; the only time its plain text exists. */
  async issue(runId: string): Promise<string> {
    const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
    await this.tokens.insert({ tokenHash: hash(token), runId, createdAt: new Date() });
    this.logger.info({ runId }, 'run token issued');
    return token;
  }

  /** The run a token may post for, or null when it is not a valid run token. */
  async runOf(token: string): Promise<string | null> {
    if (!token.startsWith(PREFIX)) return null;
    return this.tokens.findActiveRun(hash(token));
  }

  async revoke(runId: string): Promise<number> {
    const revoked = await this.tokens.revokeAll(runId, new Date());
    this.logger.info({ runId, revoked }, 'run tokens revoked');
    return revoked;
  }
}
