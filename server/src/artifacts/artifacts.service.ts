import { Inject, Injectable } from '@nestjs/common';
import type { Artifact, ArtifactWrite } from './artifact.js';
import { ARTIFACTS_REPOSITORY, type ArtifactsRepository } from './artifacts.repository.js';

/** Artifact records of runs: written from the workers' events, read by the API. */
@Injectable()
export class ArtifactsService {
  constructor(@Inject(ARTIFACTS_REPOSITORY) private readonly artifacts: ArtifactsRepository) {}

  listByRun(runId: string, kinds?: readonly string[]): Promise<Artifact[]> {
    return this.artifacts.listByRun(runId, kinds);
  }

  /** Idempotent: writes from events applied twice change nothing. */
  applyWrites(runId: string, writes: readonly ArtifactWrite[]): Promise<void> {
    return this.artifacts.applyWrites(runId, writes);
  }
}
