import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { ArtifactsService } from '../../artifacts/artifacts.service.js';
import { RunsService } from '../../runs/runs.service.js';
import { ValidationService } from '../../validation/validation.service.js';
import type { StoredEvent } from '../event.js';
import { EVENTS_REPOSITORY, type EventsRepository } from '../events.repository.js';
import { projectEvents } from './projector.js';

// Events projected per round; a run that fell far behind catches up in several rounds.
const ROUND = 5000;

/**
 * Brings a run's projected state up to its stored events: everything after the run's applied
 * position, in seq order. Callers hold the run's lock. Every write is idempotent, so a crash
 * between the writes and the position update only means the same events are applied again.
 */
@Injectable()
export class ProjectionService {
  constructor(
    @Inject(EVENTS_REPOSITORY) private readonly events: EventsRepository,
    private readonly runs: RunsService,
    private readonly artifacts: ArtifactsService,
    private readonly validations: ValidationService,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(ProjectionService.name);
  }

  /** `justStored`: what the caller has just appended; when it is exactly what is pending, it is not read back. */
  async catchUp(runId: string, justStored: readonly StoredEvent[] = []): Promise<void> {
    let known = justStored;
    for (;;) {
      const { lastSeq, appliedSeq } = await this.events.positions(runId);
      if (appliedSeq >= lastSeq) return;
      const pendingIsKnown = known.length > 0 && known.length <= ROUND && known[0].seq === appliedSeq + 1 && known.at(-1)!.seq === lastSeq;
      const events = pendingIsKnown ? known : await this.events.listAfter(runId, appliedSeq, ROUND);
      known = [];
      if (events.length === 0) return;
      const projected = projectEvents(events);
      await Promise.all([
        this.artifacts.applyWrites(runId, projected.artifacts),
        this.validations.applyAutoWrites(runId, projected.validations),
      ]);
      const outcomes = await this.runs.applyProjection(runId, projected.runs);
      await this.events.setOutcomes(
        runId,
        outcomes.map((o) => ({ seq: o.eventSeq, outcome: o.note })),
      );
      const moved = await this.events.markApplied(runId, appliedSeq, events.at(-1)!.seq);
      if (!moved) this.logger.warn({ runId, appliedSeq }, 'projection position moved by another writer; re-reading');
    }
  }

  runsWithPendingProjection(): Promise<string[]> {
    return this.events.runsWithPendingProjection();
  }
}
