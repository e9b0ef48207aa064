import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { decodeCursor, type Page } from '../common/pagination/cursor.js';
import { type Run, RunStatus } from '../runs/run.js';
import { RunsService } from '../runs/runs.service.js';
import { runAlreadyReviewed, runNotAwaitingReview } from './validation.errors.js';
import { type AutoValidationWrite, newHumanValidation, type RubricScore, type Validation, type Verdict } from './validation.js';
import { VALIDATIONS_REPOSITORY, type ValidationsRepository } from './validations.repository.js';

/** The statuses in which a person may review a run. */
export const REVIEWABLE_STATUSES: readonly RunStatus[] = [RunStatus.AWAITING_HUMAN, RunStatus.COMPLETED];

export interface SubmitHumanValidationCommand {
  runId: string;
  verdict: Verdict;
  scores: RubricScore[];
  notes: string | null;
  reviewer: string;
}

export interface ReviewQueueItem {
  run: Run;
  autoValidation: Validation | null;
}

/** Validations of runs: the worker's automatic review (from events) and the human verdict. */
@Injectable()
export class ValidationService {
  constructor(
    @Inject(VALIDATIONS_REPOSITORY) private readonly validations: ValidationsRepository,
    private readonly runs: RunsService,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(ValidationService.name);
  }

  listByRun(runId: string): Promise<Validation[]> {
    return this.validations.listByRun(runId);
  }

  /** Idempotent: writes from events applied twice change nothing. */
  applyAutoWrites(runId: string, writes: readonly AutoValidationWrite[]): Promise<void> {
    return this.validations.applyAutoWrites(runId, writes);
  }

  /**
   * Records a person's review and moves the run to HUMAN_VALIDATED, whatever the verdict. The record
   * is inserted first, atomically and once per run (of two concurrent reviews one is recorded, the
   * other is a CONFLICT), then the status changes through the state machine.
   */
  async submitHuman(command: SubmitHumanValidationCommand): Promise<{ run: Run; validation: Validation }> {
    const { runId } = command;
    const run = await this.runs.get(runId);
    if (run.status === RunStatus.HUMAN_VALIDATED) throw runAlreadyReviewed(runId, await this.validations.findHuman(runId));
    if (!REVIEWABLE_STATUSES.includes(run.status)) throw runNotAwaitingReview(runId, run.status, REVIEWABLE_STATUSES);

    const validation = newHumanValidation({ ...command, at: new Date() });
    if (!(await this.validations.insertHuman(validation))) {
      const existing = await this.validations.findHuman(runId);
      // A review recorded before a crash, or still finishing concurrently: its status change is completed here.
      if (existing?.reviewer) await this.moveToValidated(runId, existing).catch(() => null);
      throw runAlreadyReviewed(runId, existing);
    }
    try {
      const validated = await this.moveToValidated(runId, validation);
      this.logger.info({ runId, verdict: validation.verdict, reviewer: validation.reviewer }, 'human validation recorded');
      return { run: validated, validation };
    } catch (error) {
      // Moved meanwhile (canceled, failed): the review does not stand, unless a concurrent call completed it for us.
      const current = await this.runs.get(runId);
      if (current.status === RunStatus.HUMAN_VALIDATED) return { run: current, validation };
      await this.validations.deleteHuman(runId);
      throw error;
    }
  }

  /** Runs waiting for a human, oldest first, paged in the store, with their automatic validation. */
  async reviewQueue(first: number, after?: string | null): Promise<{ page: Page<ReviewQueueItem>; totalCount: number }> {
    const cursor = after ? decodeCursor(after) : undefined;
    const [page, totalCount] = await Promise.all([
      this.validations.listReviewQueue({ after: cursor, limit: first }),
      this.validations.countReviewQueue(),
    ]);
    const runs = await this.runs.getMany(page.items.map((entry) => entry.runId));
    const items = page.items.flatMap((entry, i) => {
      const run = runs[i];
      return run ? [{ run, autoValidation: entry.autoValidation }] : [];
    });
    return { page: { items, hasNextPage: page.hasNextPage }, totalCount };
  }

  private moveToValidated(runId: string, validation: Validation): Promise<Run> {
    return this.runs.transition(runId, {
      to: RunStatus.HUMAN_VALIDATED,
      from: REVIEWABLE_STATUSES,
      at: validation.completedAt ?? new Date(),
      by: validation.reviewer ?? 'anonymous',
      reason: `human validation: ${validation.verdict}`,
    });
  }
}
