import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { PinoLogger } from 'nestjs-pino';
import { publishChange } from '../infra/pubsub/publish-change.js';
import { PUB_SUB } from '../infra/pubsub/pubsub.module.js';
import { RUNS_REPOSITORY, type RunsRepository } from './runs.repository.js';
import { type RunChangedPayload, RunsTopics } from './runs.topics.js';

// Changes to one run within this window go out as one message carrying the newest state.
const COALESCE_MS = 50;

/**
 * Publishes runUpdated / runsChanged after a run changed. A burst of changes (a worker posting
 * hundreds of events a second) becomes one message per window, read fresh from the store so
 * subscribers always end on the stored state.
 */
@Injectable()
export class RunChangesPublisher implements OnApplicationShutdown {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(
    @Inject(RUNS_REPOSITORY) private readonly runs: RunsRepository,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(RunChangesPublisher.name);
  }

  changed(runId: string): void {
    if (this.pending.has(runId)) return;
    this.pending.set(
      runId,
      setTimeout(() => void this.flush(runId), COALESCE_MS),
    );
  }

  async onApplicationShutdown() {
    await Promise.all([...this.pending.keys()].map((runId) => this.flush(runId)));
  }

  private async flush(runId: string): Promise<void> {
    clearTimeout(this.pending.get(runId));
    this.pending.delete(runId);
    const run = await this.runs.findById(runId).catch((error: unknown) => this.logger.warn({ runId, err: error }, 'could not read a changed run'));
    if (!run) return;
    const payload: RunChangedPayload = { run };
    await publishChange(this.pubSub, this.logger, [RunsTopics.runUpdated(runId), RunsTopics.runsChanged], payload, { runId });
  }
}
