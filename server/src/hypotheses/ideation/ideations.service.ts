import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { PinoLogger } from 'nestjs-pino';
import { decodeCursor, Page, SortDirection } from '../../common/pagination/cursor.js';
import { addUsage, NO_USAGE } from '../../infra/llm/llm.client.js';
import { publishChange } from '../../infra/pubsub/publish-change.js';
import { PUB_SUB } from '../../infra/pubsub/pubsub.module.js';
import { attemptFailure, type JobAttempt } from '../../infra/queues/job-attempt.js';
import { ValidatorQueue } from '../../infra/queues/validator.queue.js';
import { RunsService } from '../../runs/runs.service.js';
import { hypothesisNotFound } from '../hypotheses.errors.js';
import { HYPOTHESES_REPOSITORY, type HypothesesRepository } from '../hypotheses.repository.js';
import { type Hypothesis, IdeationStatus } from '../hypothesis.js';
import { IdeaGenerator } from './idea-generator.js';
import { type IdeationCounts, type IdeationRequest, type IdeationRound, newIdeationRequest } from './ideation-request.js';
import { ideationNotFound } from './ideation.errors.js';
import { type IdeationFilter, IDEATIONS_REPOSITORY, type IdeationsRepository } from './ideations.repository.js';
import { type IdeationChangedPayload, IdeationsTopics } from './ideations.topics.js';

const UNFINISHED: readonly IdeationStatus[] = [IdeationStatus.QUEUED, IdeationStatus.RUNNING];

export interface IdeationOptions {
  reflections: number;
  autoLaunch: boolean;
  createdBy: string;
}

/**
 * Ideation requests: stored when a hypothesis asks for ideation, carried out by the `validator`
 * queue's `ideate` job (a draft, then `reflections` rounds of critique-and-improve), mirrored on the
 * hypothesis (`ideation`, and `ideaJson` once COMPLETED).
 */
@Injectable()
export class IdeationsService implements OnApplicationBootstrap {
  constructor(
    @Inject(IDEATIONS_REPOSITORY) private readonly ideations: IdeationsRepository,
    @Inject(HYPOTHESES_REPOSITORY) private readonly hypotheses: HypothesesRepository,
    private readonly generator: IdeaGenerator,
    private readonly runs: RunsService,
    private readonly queue: ValidatorQueue,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(IdeationsService.name);
  }

  /** A queued request whose job was lost (a crash before the enqueue) is queued again at start-up. */
  async onApplicationBootstrap() {
    for (const id of await this.ideations.listIdsByStatus([IdeationStatus.QUEUED])) await this.enqueue(id);
  }

  /** Stores a QUEUED request for a hypothesis about to be stored; `submit` queues its job once the hypothesis exists. */
  async prepare(id: string, hypothesisId: string, options: IdeationOptions): Promise<IdeationRequest> {
    return this.ideations.insert(newIdeationRequest({ id, hypothesisId, ...options, createdAt: new Date() }));
  }

  async submit(request: IdeationRequest): Promise<void> {
    this.logger.info({ ideationId: request.id, hypothesisId: request.hypothesisId, reflections: request.reflections }, 'ideation queued');
    await this.publish(request);
    await this.enqueue(request.id);
  }

  async get(id: string): Promise<IdeationRequest> {
    const request = await this.ideations.findById(id);
    if (!request) throw ideationNotFound(id);
    return request;
  }

  async list(
    filter: IdeationFilter,
    first: number,
    after?: string | null,
  ): Promise<{ page: Page<IdeationRequest>; totalCount: number; counts: IdeationCounts }> {
    const cursor = after ? decodeCursor(after) : undefined;
    const [page, totalCount, counts] = await Promise.all([
      this.ideations.list(filter, { after: cursor, limit: first, direction: SortDirection.DESC }),
      this.ideations.count(filter),
      this.ideations.countByStatus({ hypothesisId: filter.hypothesisId }),
    ]);
    return { page, totalCount, counts };
  }

  summary(): Promise<IdeationCounts> {
    return this.ideations.countByStatus({});
  }

  /** The `ideate` job. A failure is recorded (QUEUED again while the job will be retried, FAILED on the last attempt) and rethrown. */
  async ideate(ideationId: string, attempt: JobAttempt): Promise<void> {
    const request = await this.ideations.findById(ideationId);
    if (!request || !UNFINISHED.includes(request.status)) return;
    const now = new Date();
    const running = await this.ideations.update(ideationId, UNFINISHED, {
      status: IdeationStatus.RUNNING,
      model: this.generator.model,
      rounds: [],
      attempts: attempt.number,
      startedAt: request.startedAt ?? now,
      updatedAt: now,
    });
    if (!running) return;
    try {
      const hypothesis = await this.hypotheses.findById(request.hypothesisId);
      if (!hypothesis) throw hypothesisNotFound(request.hypothesisId);
      await this.mirror(running, IdeationStatus.RUNNING);
      await this.publish(running);
      await this.refine(running, hypothesis);
    } catch (error) {
      await this.recordFailure(running, attempt, error);
      throw error;
    }
  }

  private async refine(request: IdeationRequest, hypothesis: Hypothesis): Promise<void> {
    const rounds: IdeationRound[] = [];
    let usage = NO_USAGE;
    let model = this.generator.model;
    const progress = async () => {
      const updated = await this.ideations.update(request.id, [IdeationStatus.RUNNING], { status: IdeationStatus.RUNNING, rounds, usage, model, updatedAt: new Date() });
      if (updated) await this.publish(updated);
    };

    const draft = await this.generator.draft(hypothesis);
    rounds.push({ round: 0, critique: null, idea: draft.value, at: new Date() });
    usage = addUsage(usage, draft.usage);
    model = draft.model;
    await progress();
    for (let round = 1; round <= request.reflections; round++) {
      const reflection = await this.generator.reflect(hypothesis, rounds.at(-1)!.idea, round, request.reflections);
      rounds.push({ round, critique: reflection.value.critique, idea: reflection.value.idea, at: new Date() });
      usage = addUsage(usage, reflection.usage);
      await progress();
    }

    const ideas = [rounds.at(-1)!.idea];
    const completed = await this.ideations.update(request.id, [IdeationStatus.RUNNING], {
      status: IdeationStatus.COMPLETED,
      rounds,
      ideas,
      usage,
      model,
      errorCode: null,
      errorMessage: null,
      completedAt: new Date(),
      updatedAt: new Date(),
    });
    if (!completed) return;
    const updated = await this.hypotheses.setIdeation(
      hypothesis.id,
      { requestId: request.id, status: IdeationStatus.COMPLETED, reflections: request.reflections, ideas },
      new Date(),
      ideas[0],
    );
    this.logger.info({ ideationId: request.id, hypothesisId: hypothesis.id, calls: rounds.length, ...usage }, 'ideation completed');
    await this.publish(completed);
    if (request.autoLaunch) await this.launch(completed, updated ?? hypothesis);
  }

  private async launch(request: IdeationRequest, hypothesis: Hypothesis): Promise<void> {
    if (hypothesis.hidden) {
      this.logger.info({ ideationId: request.id, hypothesisId: hypothesis.id }, 'hypothesis hidden: no run launched');
      return;
    }
    try {
      // The key makes a repeated job find the run it queued instead of queueing another.
      const run = await this.runs.enqueue({ hypothesisId: hypothesis.id, createdBy: request.createdBy, idempotencyKey: `ideation-${request.id}` });
      const launched = await this.ideations.update(request.id, [IdeationStatus.COMPLETED], { status: IdeationStatus.COMPLETED, runId: run.id, updatedAt: new Date() });
      if (launched) await this.publish(launched);
    } catch (error) {
      this.logger.error({ ideationId: request.id, err: error }, 'could not launch the run of a completed ideation');
    }
  }

  private async recordFailure(request: IdeationRequest, attempt: JobAttempt, error: unknown): Promise<void> {
    const { retry, update } = attemptFailure(error, attempt, { retry: IdeationStatus.QUEUED, final: IdeationStatus.FAILED });
    this.logger.warn({ ideationId: request.id, attempt: attempt.number, retry, code: update.errorCode, err: error }, 'ideation failed');
    const updated = await this.ideations.update(request.id, [IdeationStatus.RUNNING], update);
    if (!updated) return;
    await this.mirror(updated, update.status).catch(() => undefined);
    await this.publish(updated);
  }

  /** Tells subscribers (ideationsChanged) about a stored change. */
  private async publish(ideation: IdeationRequest): Promise<void> {
    const payload: IdeationChangedPayload = { ideation };
    await publishChange(this.pubSub, this.logger, [IdeationsTopics.updated(ideation.id), IdeationsTopics.changed], payload, { ideationId: ideation.id });
  }

  private async mirror(request: IdeationRequest, status: IdeationStatus): Promise<void> {
    await this.hypotheses.setIdeation(request.hypothesisId, { requestId: request.id, status, reflections: request.reflections, ideas: [] }, new Date());
  }

  private async enqueue(ideationId: string): Promise<void> {
    try {
      await this.queue.enqueue('ideate', { ideationId });
    } catch (error) {
      // The request is stored as QUEUED; the next start-up queues it again.
      this.logger.error({ ideationId, err: error }, 'could not enqueue ideation');
    }
  }
}
