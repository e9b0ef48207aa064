import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { Subject } from 'rxjs';
import { inOrderOf } from '../common/in-order-of.js';
import { decodeCursor, Page, SortDirection } from '../common/pagination/cursor.js';
import { OrchestratorQueue, QueuedJob } from '../infra/queues/orchestrator.queue.js';
import { METRICS_REPOSITORY, type MetricsRepository } from './metrics.repository.js';
import { NODES_REPOSITORY, type NodesRepository } from './nodes.repository.js';
import { newRun, NodeHistoryEntry, Run, RunMetric, RunNode, type RunProvisioning, RunStatus, RunTransition, Stage } from './run.js';
import { RunChangesPublisher } from './run-changes.publisher.js';
import type { RunStatistics, StageDuration } from './run-statistics.js';
import { RunProjection, TransitionOutcome } from './run-projection.js';
import { ACTIVE_STATUSES } from './run-state-machine.js';
import { illegalTransition, runNotFound, writeupNotAllowed } from './runs.errors.js';
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

/** A status change that happened: made by the orchestrator (API, jobs, watchdog) or asked for by a worker's event. */
export interface AppliedTransition {
  runId: string;
  transition: RunTransition;
  origin: 'orchestrator' | 'worker';
}

/** The rules of a run's life: creation and queueing, every status change through the state machine, projection, hiding. */
@Injectable()
export class RunsService implements OnApplicationBootstrap {
  /** Emits after every status change, once it is stored. */
  readonly transitions = new Subject<AppliedTransition>();

  constructor(
    @Inject(RUNS_REPOSITORY) private readonly runs: RunsRepository,
    @Inject(STAGES_REPOSITORY) private readonly stages: StagesRepository,
    @Inject(NODES_REPOSITORY) private readonly nodes: NodesRepository,
    @Inject(METRICS_REPOSITORY) private readonly metrics: MetricsRepository,
    private readonly queue: OrchestratorQueue,
    private readonly changes: RunChangesPublisher,
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

  /** Ids of every run in these statuses (few: the live ones), oldest first. */
  idsWithStatus(statuses: readonly RunStatus[]): Promise<string[]> {
    return this.runs.listIds({ statuses });
  }

  /** Store-side aggregates for the overview. */
  statistics(now: Date, limit: number): Promise<RunStatistics> {
    return this.runs.statistics(now, limit);
  }

  stageDurations(since: Date): Promise<StageDuration[]> {
    return this.stages.averageDurations(since);
  }

  stagesOf(runId: string): Promise<Stage[]> {
    return this.stages.listByRun(runId);
  }

  nodesOf(runId: string): Promise<RunNode[]> {
    return this.nodes.listByRun(runId);
  }

  nodeHistoryOf(runId: string): Promise<NodeHistoryEntry[]> {
    return this.nodes.history(runId);
  }

  metricsOf(runId: string): Promise<RunMetric[]> {
    return this.metrics.listByRun(runId);
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
      this.changes.changed(run.id);
      await this.enqueueStart(run.id);
    }
    return run;
  }

  /** Moves a run through the state machine (compare-and-set); CONFLICT names both states when the move is illegal. */
  async transition(id: string, change: StatusChange): Promise<Run> {
    const updated = await this.runs.transition(id, change);
    if (!updated) {
      const current = await this.get(id);
      throw illegalTransition(id, current.status, change.to);
    }
    this.logger.info({ runId: id, to: change.to, by: change.by }, 'run status changed');
    this.announceTransition(updated, 'orchestrator');
    return updated;
  }

  cancel(id: string, by: string, reason?: string | null): Promise<Run> {
    return this.transition(id, { to: RunStatus.CANCELED, at: new Date(), by, reason: reason ?? null });
  }

  async setHidden(id: string, hidden: boolean): Promise<Run> {
    const run = await this.runs.setHidden(id, hidden, new Date());
    if (!run) throw runNotFound(id);
    this.changes.changed(id);
    return run;
  }

  /** Publishes runUpdated / runsChanged for a change stored beside the run (e.g. its paper analysis). */
  notifyChanged(runId: string): void {
    this.changes.changed(runId);
  }

  /** Cancels every active run of a hypothesis, however many; runs that finish meanwhile are left as they are. */
  async cancelActiveOfHypothesis(hypothesisId: string, by: string, reason: string): Promise<number> {
    const ids = await this.runs.listIds({ hypothesisId, statuses: ACTIVE_STATUSES });
    let canceled = 0;
    for (const id of ids) {
      const run = await this.runs.transition(id, { to: RunStatus.CANCELED, at: new Date(), by, reason });
      if (!run) continue;
      canceled++;
      this.announceTransition(run, 'orchestrator');
    }
    this.logger.info({ hypothesisId, canceled }, 'active runs of hypothesis canceled');
    return canceled;
  }

  /**
   * Applies what a batch of a run's events means: stage, node and metric writes, status changes
   * through the state machine (each one a compare-and-set; a refused one is reported, not thrown),
   * and the run's own fields. Every write is idempotent, so a batch applied twice changes nothing.
   */
  async applyProjection(runId: string, projection: RunProjection): Promise<TransitionOutcome[]> {
    await Promise.all([
      this.stages.applyWrites(runId, projection.stages),
      this.nodes.applyWrites(runId, projection.nodes),
      this.metrics.applyWrites(runId, projection.metrics),
    ]);
    const outcomes: TransitionOutcome[] = [];
    for (const requested of projection.transitions) {
      const { eventSeq, ...change } = requested;
      const moved = await this.runs.transition(runId, change);
      if (moved) {
        outcomes.push({ eventSeq, applied: true, note: `status ${moved.statusHistory.at(-1)!.from} -> ${change.to}` });
        this.transitions.next({ runId, transition: moved.statusHistory.at(-1)!, origin: 'worker' });
        continue;
      }
      const current = await this.runs.findById(runId);
      outcomes.push({ eventSeq, applied: false, note: `refused: run is ${current?.status} and cannot move to ${change.to}` });
    }
    await this.runs.applyProjection(runId, projection.patch, new Date());
    this.changes.changed(runId);
    return outcomes;
  }

  /** Records where and how the run's worker was provisioned (the pods module's writes). */
  async recordProvisioning(runId: string, patch: Partial<RunProvisioning>): Promise<Run> {
    const run = await this.runs.mergeProvisioning(runId, patch, new Date());
    if (!run) throw runNotFound(runId);
    this.changes.changed(runId);
    return run;
  }

  /** Schedules the paper writing again for a FAILED or COMPLETED run; one retry at a time. */
  async retryWriteup(runId: string, by: string): Promise<Run> {
    const run = await this.runs.claimWriteup(runId, by, new Date());
    if (!run) {
      const current = await this.get(runId);
      throw writeupNotAllowed(runId, current.status, current.writeup?.active === true);
    }
    this.logger.info({ runId, attempt: run.writeup!.count, by }, 'writeup retry requested');
    await this.queue.enqueue('writeup', { runId, attempt: run.writeup!.count });
    this.changes.changed(runId);
    return run;
  }

  async finishWriteup(runId: string, outcome: string): Promise<void> {
    await this.runs.finishWriteup(runId, outcome, new Date());
    this.changes.changed(runId);
  }

  /** After a stored status change by the orchestrator: the feed (transitions) and the live views hear of it. */
  private announceTransition(run: Run, origin: AppliedTransition['origin']): void {
    this.transitions.next({ runId: run.id, transition: run.statusHistory.at(-1)!, origin });
    this.changes.changed(run.id);
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
