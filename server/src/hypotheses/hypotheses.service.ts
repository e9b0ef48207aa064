import { Inject, Injectable } from '@nestjs/common';
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { inOrderOf } from '../common/in-order-of.js';
import { decodeCursor, Page, SortDirection } from '../common/pagination/cursor.js';
import { LlmClient } from '../infra/llm/llm.client.js';
import { publishChange } from '../infra/pubsub/publish-change.js';
import { PUB_SUB } from '../infra/pubsub/pubsub.module.js';
import { Run } from '../runs/run.js';
import { RunsService } from '../runs/runs.service.js';
import { hypothesisHidden, hypothesisNotFound } from './hypotheses.errors.js';
import { HYPOTHESES_REPOSITORY, type HypothesesRepository, type HypothesisFilter } from './hypotheses.repository.js';
import { type HypothesisChangedPayload, HypothesesTopics } from './hypotheses.topics.js';
import { Hypothesis, IdeationStatus, plainIdeaJson } from './hypothesis.js';
import type { IdeationRequest } from './ideation/ideation-request.js';
import { ideationInProgress } from './ideation/ideation.errors.js';
import { IdeationsService } from './ideation/ideations.service.js';

export interface HypothesisIdeationCommand {
  /** Rounds of critique-and-improve after the first draft (1 to 10). */
  reflections: number;
  /** Queue a run once the ideation has completed. */
  autoLaunch: boolean;
}

export interface CreateHypothesisCommand {
  /** Chosen by the caller when creation must be idempotent (a ChatGPT import uses its own id). */
  id?: string;
  title: string;
  idea: string;
  createdBy: string;
  chatGptUrl?: string | null;
  /** Refine the idea with the LLM first, instead of queueing a run now. */
  ideation?: HypothesisIdeationCommand | null;
  /** Demo data (`npm run seed`). */
  seed?: boolean;
}

export interface CreatedHypothesis {
  hypothesis: Hypothesis;
  /** The first run, unless ideation comes first. */
  run: Run | null;
  ideation: IdeationRequest | null;
}

/** Hypotheses and what happens to their runs when they are created, launched or hidden. */
@Injectable()
export class HypothesesService {
  constructor(
    @Inject(HYPOTHESES_REPOSITORY) private readonly hypotheses: HypothesesRepository,
    private readonly runs: RunsService,
    private readonly ideations: IdeationsService,
    private readonly llm: LlmClient,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(HypothesesService.name);
  }

  async get(id: string): Promise<Hypothesis> {
    const hypothesis = await this.hypotheses.findById(id);
    if (!hypothesis) throw hypothesisNotFound(id);
    return hypothesis;
  }

  async getMany(ids: readonly string[]): Promise<(Hypothesis | null)[]> {
    return inOrderOf(ids, await this.hypotheses.findByIds(ids));
  }

  async list(
    filter: HypothesisFilter,
    first: number,
    after?: string | null,
  ): Promise<{ page: Page<Hypothesis>; totalCount: number }> {
    const cursor = after ? decodeCursor(after) : undefined;
    const [page, totalCount] = await Promise.all([
      this.hypotheses.list(filter, { after: cursor, limit: first, direction: SortDirection.DESC }),
      this.hypotheses.count(filter),
    ]);
    return { page, totalCount };
  }

  /** LLM_NOT_CONFIGURED unless an LLM is configured: checked before anything is stored. */
  assertIdeationAvailable(): void {
    this.llm.assertConfigured('ideation');
  }

  /**
   * Stores the hypothesis and queues its first run; with ideation, queues an ideation request
   * instead (the run comes from launchRun, or from autoLaunch once the ideation completes). Its
   * ideaJson starts as the person's own words (plainIdeaJson) and is replaced by the ideation's idea.
   */
  async create(command: CreateHypothesisCommand): Promise<CreatedHypothesis> {
    if (command.ideation) this.assertIdeationAvailable();
    const now = new Date();
    const id = command.id ?? randomUUID();
    // The request is stored first: a crash in between leaves a request that fails plainly, never a hypothesis waiting forever.
    const ideation = command.ideation
      ? await this.ideations.prepare(randomUUID(), id, { ...command.ideation, createdBy: command.createdBy })
      : null;
    const hypothesis = await this.hypotheses.insert({
      id,
      title: command.title,
      idea: command.idea,
      createdBy: command.createdBy,
      createdAt: now,
      updatedAt: now,
      ideaJson: plainIdeaJson(command.title, command.idea),
      chatGptUrl: command.chatGptUrl ?? null,
      ideation: ideation ? { requestId: ideation.id, status: IdeationStatus.QUEUED, reflections: ideation.reflections, ideas: [] } : null,
      seed: command.seed ?? false,
      hidden: false,
    });
    this.logger.info({ hypothesisId: hypothesis.id, ideation: ideation !== null }, 'hypothesis created');
    if (ideation) {
      await this.ideations.submit(ideation);
      await this.publish(hypothesis);
      return { hypothesis, run: null, ideation };
    }
    const run = await this.runs.enqueue({ hypothesisId: hypothesis.id, createdBy: command.createdBy });
    await this.publish(hypothesis);
    return { hypothesis, run, ideation: null };
  }

  /** Queues another run of a visible hypothesis; a repeated idempotency key returns the run it created. */
  async launchRun(hypothesisId: string, createdBy: string, idempotencyKey?: string | null): Promise<Run> {
    const hypothesis = await this.get(hypothesisId);
    if (hypothesis.hidden) throw hypothesisHidden(hypothesisId);
    const ideation = hypothesis.ideation;
    if (ideation && (ideation.status === IdeationStatus.QUEUED || ideation.status === IdeationStatus.RUNNING)) {
      throw ideationInProgress(hypothesisId, ideation.requestId);
    }
    const run = await this.runs.enqueue({ hypothesisId, createdBy, idempotencyKey });
    // Hidden while we were inserting: hideHypothesis may have listed active runs before this one existed.
    if ((await this.get(hypothesisId)).hidden) {
      await this.runs.cancelActiveOfHypothesis(hypothesisId, createdBy, 'hypothesis hidden');
    }
    return run;
  }

  /** Hides the hypothesis and cancels all of its active runs. */
  async hide(id: string, by: string): Promise<{ hypothesis: Hypothesis; canceledRuns: number }> {
    const hypothesis = await this.hypotheses.setHidden(id, true, new Date());
    if (!hypothesis) throw hypothesisNotFound(id);
    const canceledRuns = await this.runs.cancelActiveOfHypothesis(id, by, 'hypothesis hidden');
    await this.publish(hypothesis);
    return { hypothesis, canceledRuns };
  }

  async unhide(id: string): Promise<Hypothesis> {
    const hypothesis = await this.hypotheses.setHidden(id, false, new Date());
    if (!hypothesis) throw hypothesisNotFound(id);
    await this.publish(hypothesis);
    return hypothesis;
  }

  /** Tells subscribers (hypothesesChanged) about a stored change. */
  private async publish(hypothesis: Hypothesis): Promise<void> {
    const payload: HypothesisChangedPayload = { hypothesis };
    await publishChange(this.pubSub, this.logger, [HypothesesTopics.changed], payload, { hypothesisId: hypothesis.id });
  }
}
