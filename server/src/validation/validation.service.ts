import { Inject, Injectable } from '@nestjs/common';
import type { AutoValidationWrite, Validation } from './validation.js';
import { VALIDATIONS_REPOSITORY, type ValidationsRepository } from './validations.repository.js';

/** Validations of runs: the worker's automatic review (from events) and, later, the human verdict. */
@Injectable()
export class ValidationService {
  constructor(@Inject(VALIDATIONS_REPOSITORY) private readonly validations: ValidationsRepository) {}

  listByRun(runId: string): Promise<Validation[]> {
    return this.validations.listByRun(runId);
  }

  /** Idempotent: writes from events applied twice change nothing. */
  applyAutoWrites(runId: string, writes: readonly AutoValidationWrite[]): Promise<void> {
    return this.validations.applyAutoWrites(runId, writes);
  }
}
