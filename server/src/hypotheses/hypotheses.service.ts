import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { inOrderOf } from '../common/in-order-of.js';
import { decodeCursor, Page, SortDirection } from '../common/pagination/cursor.js';
import { Run } from '../runs/run.js';
import { RunsService } from '../runs/runs.service.js';
import { hypothesisHidden, hypothesisNotFound } from './hypotheses.errors.js';
import { HYPOTHESES_REPOSITORY, type HypothesesRepository, type HypothesisFilter } from './hypotheses.repository.js';
import { Hypothesis, plainIdeaJson } from './hypothesis.js';

export interface CreateHypothesisCommand {
  title: string;
  idea: string;
  createdBy: string;
}

/** Hypotheses and what happens to their runs when they are created, launched or hidden. */
@Injectable()
export class HypothesesService {
  constructor(
    @Inject(HYPOTHESES_REPOSITORY) private readonly hypotheses: HypothesesRepository,
    private readonly runs: RunsService,
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

  /** Stores the hypothesis and queues its first run. */
  async create(command: CreateHypothesisCommand): Promise<{ hypothesis: Hypothesis; run: Run }> {
    const now = new Date();
    const hypothesis = await this.hypotheses.insert({
      id: randomUUID(),
      title: command.title,
      idea: command.idea,
      createdBy: command.createdBy,
      createdAt: now,
      updatedAt: now,
      ideaJson: plainIdeaJson(command.title, command.idea),
      chatGptUrl: null,
      ideation: null,
      seed: false,
      hidden: false,
    });
    this.logger.info({ hypothesisId: hypothesis.id }, 'hypothesis created');
    const run = await this.runs.enqueue({ hypothesisId: hypothesis.id, createdBy: command.createdBy });
    return { hypothesis, run };
  }

  /** Queues another run of a visible hypothesis; a repeated idempotency key returns the run it created. */
  async launchRun(hypothesisId: string, createdBy: string, idempotencyKey?: string | null): Promise<Run> {
    const hypothesis = await this.get(hypothesisId);
    if (hypothesis.hidden) throw hypothesisHidden(hypothesisId);
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
    return { hypothesis, canceledRuns };
  }

  async unhide(id: string): Promise<Hypothesis> {
    const hypothesis = await this.hypotheses.setHidden(id, false, new Date());
    if (!hypothesis) throw hypothesisNotFound(id);
    return hypothesis;
  }
}
