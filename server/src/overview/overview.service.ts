import { Injectable } from '@nestjs/common';
import { SortDirection } from '../common/pagination/cursor.js';
import { HypothesesService } from '../hypotheses/hypotheses.service.js';
import { IdeationsService } from '../hypotheses/ideation/ideations.service.js';
import { OrchestratorQueue } from '../infra/queues/orchestrator.queue.js';
import { ValidatorQueue } from '../infra/queues/validator.queue.js';
import { GpuSlots } from '../pods/gpu-slots.js';
import { RunStatus } from '../runs/run.js';
import { RunsService } from '../runs/runs.service.js';
import { ValidationService } from '../validation/validation.service.js';
import type { Overview } from './overview.js';

const TOP = 5;
const STAGE_WINDOW_DAYS = 30;

/**
 * The system at a glance, counted where the data is: a handful of store aggregates and Redis
 * counts, never a scan of runs in memory.
 */
@Injectable()
export class OverviewService {
  constructor(
    private readonly runs: RunsService,
    private readonly hypotheses: HypothesesService,
    private readonly ideations: IdeationsService,
    private readonly validations: ValidationService,
    private readonly slots: GpuSlots,
    private readonly orchestratorQueue: OrchestratorQueue,
    private readonly validatorQueue: ValidatorQueue,
  ) {}

  async overview(now = new Date()): Promise<Overview> {
    const [statistics, stageDurations, latest, reviewQueue, ideations, holders, orchestrator, validator] = await Promise.all([
      this.runs.statistics(now, TOP),
      this.runs.stageDurations(new Date(now.getTime() - STAGE_WINDOW_DAYS * 24 * 3600 * 1000)),
      this.runs.list({ filter: { hidden: false }, first: TOP, order: SortDirection.DESC }),
      this.validations.reviewQueue(1),
      this.ideations.summary(),
      this.slots.holders(),
      this.orchestratorQueue.counts(),
      this.validatorQueue.counts(),
    ]);
    const titles = await this.hypotheses.getMany(statistics.mostActiveHypotheses.map((h) => h.hypothesisId));
    const runsByStatus = Object.values(RunStatus).map((status) => ({ status, count: statistics.byStatus[status] ?? 0 }));
    const queued = statistics.byStatus[RunStatus.QUEUED] ?? 0;
    const averageRunS = stageDurations.reduce((sum, s) => sum + s.averageS, 0);
    return {
      runsByStatus,
      totalRuns: runsByStatus.reduce((sum, s) => sum + s.count, 0),
      slots: { max: this.slots.max, inUse: holders.length, free: Math.max(0, this.slots.max - holders.length) },
      queues: [
        { name: 'orchestrator', ...depths(orchestrator) },
        { name: 'validator', ...depths(validator) },
      ],
      validationQueueSize: reviewQueue.totalCount,
      ideations: Object.entries(ideations).map(([status, count]) => ({ status, count })),
      latestRuns: latest.page.items,
      mostActiveHypotheses: statistics.mostActiveHypotheses.map((h, i) => ({ ...h, title: titles[i]?.title ?? null })),
      finishedLast24h: statistics.finishedLast24h,
      finishedLast7d: statistics.finishedLast7d,
      failureReasons: statistics.failureReasons,
      stageDurations,
      // Queued runs go through the slots in waves, each as long as an average run.
      drainEstimateS: queued > 0 && averageRunS > 0 ? Math.ceil(queued / this.slots.max) * averageRunS : queued > 0 ? null : 0,
    };
  }
}

function depths(counts: Record<string, number>) {
  return {
    waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0),
    active: counts.active ?? 0,
    delayed: counts.delayed ?? 0,
    failed: counts.failed ?? 0,
  };
}
