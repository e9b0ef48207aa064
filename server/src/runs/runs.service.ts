import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { inOrderOf } from '../common/in-order-of.js';
import { decodeCursor, Page, SortDirection } from '../common/pagination/cursor.js';
import { OrchestratorQueue, QueuedJob } from '../infra/queues/orchestrator.queue.js';
import { newRun, Run, RunStatus, Stage } from './run.js';
import { ACTIVE_STATUSES } from './run-state-machine.js';
import { illegalTransition, runNotFound } from './runs.errors.js';
import { type RunFilter, RUNS_REPOSITORY, type RunsRepository, type StatusChange } from './runs.repository.js';
import { STAGES_REPOSITORY, type StagesRepository } from './stages.repository.js';

export interface ListRunsQuery {
  filter: RunFilter;
  first: number;
  after?: string | null;
  order: SortDirection;
}

export interface EnqueueRunCommand {
  hypothesisId: string;
  createdBy: string;
  idempotencyKey?: string | null;
}

/** The rules of a run's life: creation and queueing, every status change through the state machine, hiding. */
@Injectable()
export class RunsService implements OnApplicationBootstrap {
  constructor(
    @Inject(RUNS_REPOSITORY) private readonly runs: RunsRepository,
    @Inject(STAGES_REPOSITORY) private readonly stages: StagesRepository,
    private readonly queue: OrchestratorQueue,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(RunsService.name);
  }

  /** A run whose start job was lost (a crash between the insert and the enqueue) is queued again at start-up. */
  async onApplicationBootstrap() {
    const queued = await this.runs.listIds({ statuses: [RunStatus.QUEUED] });
    for (const runId of queued) await this.enqueueStart(runId);
    if (queued.length > 0) this.logger.info({ count: queued.length }, 'queued runs re-enqueued');
  }

  async get(id: string): Promise<Run> {
    const run = await this.runs.findById(id);
    if (!run) throw runNotFound(id);
    return run;
  }

  /** For batch loading; missing ids come back as null in their place. */
  async getMany(ids: readonly string[]): Promise<(Run | null)[]> {
    return inOrderOf(ids, await this.runs.findByIds(ids));
  }

  async list(query: ListRunsQuery): Promise<{ page: Page<Run>; totalCount: number }> {
    const after = query.after ? decodeCursor(query.after) : undefined;
    const [page, totalCount] = await Promise.all([
      this.runs.list(query.filter, { after, limit: query.first, direction: query.order }),
      this.runs.count(query.filter),
    ]);
    return { page, totalCount };
  }

  stagesOf(runId: string): Promise<Stage[]> {
    return this.stages.listByRun(runId);
  }

  startJobOf(runId: string): Promise<QueuedJob | null> {
    return this.queue.find(runId);
  }

  /** Creates a QUEUED run and its `start` job. With an idempotency key, a repeated call returns the first run. */
  async enqueue(command: EnqueueRunCommand): Promise<Run> {
    const { run, created } = await this.runs.insert(
      newRun({
        id: randomUUID(),
        hypothesisId: command.hypothesisId,
        createdBy: command.createdBy,
        createdAt: new Date(),
        idempotencyKey: command.idempotencyKey ?? null,
      }),
    );
    if (created) {
      this.logger.info({ runId: run.id, hypothesisId: run.hypothesisId }, 'run queued');
      await this.enqueueStart(run.id);
    }
    return run;
  }

  /** Moves a run through the state machine (compare-and-set); CONFLICT names both states when the move is illegal. */
  async transition(id: string, change: StatusChange): Promise<Run> {
    const updated = await this.runs.transition(id, change);
    if (updated) {
      this.logger.info({ runId: id, to: change.to, by: change.by }, 'run status changed');
      return updated;
    }
    const current = await this.get(id);
    throw illegalTransition(id, current.status, change.to);
  }

  cancel(id: string, by: string, reason?: string | null): Promise<Run> {
    return this.transition(id, { to: RunStatus.CANCELED, at: new Date(), by, reason: reason ?? null });
  }

  async setHidden(id: string, hidden: boolean): Promise<Run> {
    const run = await this.runs.setHidden(id, hidden, new Date());
    if (!run) throw runNotFound(id);
    return run;
  }

  /** Cancels every active run of a hypothesis, however many; runs that finish meanwhile are left as they are. */
  async cancelActiveOfHypothesis(hypothesisId: string, by: string, reason: string): Promise<number> {
    const ids = await this.runs.listIds({ hypothesisId, statuses: ACTIVE_STATUSES });
    let canceled = 0;
    for (const id of ids) {
      const run = await this.runs.transition(id, { to: RunStatus.CANCELED, at: new Date(), by, reason });
      if (run) canceled++;
    }
    this.logger.info({ hypothesisId, canceled }, 'active runs of hypothesis canceled');
    return canceled;
  }

  private async enqueueStart(runId: string): Promise<void> {
    try {
      await this.queue.enqueue('start', { runId });
    } catch (error) {
      // The run is stored as QUEUED; the next start-up queues it again.
      this.logger.error({ runId, err: error }, 'could not enqueue start job');
    }
  }
}
