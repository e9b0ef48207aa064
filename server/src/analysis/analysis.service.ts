import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { ArtifactStatus } from '../artifacts/artifact.js';
import { ArtifactsService } from '../artifacts/artifacts.service.js';
import { OBJECT_STORAGE, type ObjectStorage } from '../artifacts/storage/object-storage.js';
import { Env } from '../config/env.js';
import { HypothesesService } from '../hypotheses/hypotheses.service.js';
import { LlmClient } from '../infra/llm/llm.client.js';
import { attemptFailure, type JobAttempt } from '../infra/queues/job-attempt.js';
import { ValidatorQueue } from '../infra/queues/validator.queue.js';
import { PaperStatus, type Run } from '../runs/run.js';
import { RunsService } from '../runs/runs.service.js';
import { paperNotAvailable } from './analysis.errors.js';
import { PAPER_ANALYSES_REPOSITORY, type PaperAnalysesRepository } from './paper-analyses.repository.js';
import { newPaperAnalysis, type PaperAnalysis, PaperAnalysisStatus, UNFINISHED_ANALYSIS_STATUSES } from './paper-analysis.js';
import { PaperAnalyzer } from './paper-analyzer.js';
import { extractPaperText, fitToBudget, readAll } from './paper-text.js';

/**
 * LLM analysis of a run's paper: requested through the API, carried out by a `validator` queue job,
 * one current analysis per run (re-requesting keeps the previous one as history). Every status
 * change is published as a change of the run (runUpdated).
 */
@Injectable()
export class AnalysisService implements OnApplicationBootstrap {
  constructor(
    @Inject(PAPER_ANALYSES_REPOSITORY) private readonly analyses: PaperAnalysesRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly runs: RunsService,
    private readonly artifacts: ArtifactsService,
    private readonly hypotheses: HypothesesService,
    private readonly analyzer: PaperAnalyzer,
    private readonly llm: LlmClient,
    private readonly queue: ValidatorQueue,
    private readonly env: Env,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(AnalysisService.name);
  }

  /** A queued analysis whose job was lost (a crash between the insert and the enqueue) is queued again at start-up. */
  async onApplicationBootstrap() {
    const queued = await this.analyses.listIdsByStatus([PaperAnalysisStatus.QUEUED]);
    for (const analysisId of queued) await this.enqueue(analysisId);
  }

  /**
   * Queues an analysis of the run's paper and makes it the run's current one. While one is queued or
   * running, that one is returned instead (requesting twice does not analyse twice).
   */
  async request(runId: string, requestedBy: string): Promise<PaperAnalysis> {
    this.llm.assertConfigured('paper analysis');
    const run = await this.runs.get(runId);
    if (!(await this.paperKeyOf(run))) throw paperNotAvailable(runId);
    const created = await this.analyses.replaceCurrent(
      newPaperAnalysis({ id: randomUUID(), runId, requestedBy, createdAt: new Date() }),
      UNFINISHED_ANALYSIS_STATUSES,
    );
    if (!created) return (await this.analyses.findCurrent(runId))!;
    this.logger.info({ runId, analysisId: created.id }, 'paper analysis queued');
    await this.enqueue(created.id);
    this.runs.notifyChanged(runId);
    return created;
  }

  current(runId: string): Promise<PaperAnalysis | null> {
    return this.analyses.findCurrent(runId);
  }

  /** For batch loading; runs without an analysis come back as null in their place. */
  async currentOfRuns(runIds: readonly string[]): Promise<(PaperAnalysis | null)[]> {
    const byRun = new Map((await this.analyses.findCurrentOfRuns(runIds)).map((analysis) => [analysis.runId, analysis]));
    return runIds.map((runId) => byRun.get(runId) ?? null);
  }

  history(runId: string): Promise<PaperAnalysis[]> {
    return this.analyses.listHistory(runId);
  }

  /**
   * The `analyzePaper` job: reads the run's paper from object storage, extracts and fits its text,
   * asks the model and stores the validated answer. A failure is recorded (QUEUED again while the
   * job will be retried, FAILED with the reason on the last attempt) and rethrown for the queue.
   */
  async analyze(analysisId: string, attempt: JobAttempt): Promise<void> {
    const analysis = await this.analyses.findById(analysisId);
    if (!analysis || !UNFINISHED_ANALYSIS_STATUSES.includes(analysis.status)) return;
    const now = new Date();
    const running = await this.analyses.update(analysisId, UNFINISHED_ANALYSIS_STATUSES, {
      status: PaperAnalysisStatus.RUNNING,
      attempts: attempt.number,
      startedAt: analysis.startedAt ?? now,
      updatedAt: now,
    });
    if (!running) return;
    this.runs.notifyChanged(analysis.runId);
    try {
      const done = await this.analyses.update(analysisId, [PaperAnalysisStatus.RUNNING], {
        ...(await this.produce(running)),
        status: PaperAnalysisStatus.DONE,
        errorCode: null,
        errorMessage: null,
        completedAt: new Date(),
        updatedAt: new Date(),
      });
      this.logger.info({ runId: analysis.runId, analysisId, usage: done?.usage }, 'paper analysis done');
    } catch (error) {
      await this.recordFailure(running, attempt, error);
      throw error;
    } finally {
      this.runs.notifyChanged(analysis.runId);
    }
  }

  private async produce(analysis: PaperAnalysis) {
    const run = await this.runs.get(analysis.runId);
    const key = await this.paperKeyOf(run);
    if (!key) throw paperNotAvailable(run.id);
    const hypothesis = await this.hypotheses.get(run.hypothesisId);
    const bytes = await readAll(await this.storage.getObject(key), key);
    const { text, pages } = await extractPaperText(bytes, key);
    const fitted = fitToBudget(text, this.env.ANALYSIS_MAX_PAPER_CHARS);
    if (fitted.truncated) {
      this.logger.info({ runId: run.id, extractedChars: text.length, omittedChars: fitted.omittedChars }, 'paper truncated for analysis');
    }
    const output = await this.analyzer.analyze({
      hypothesis: { title: hypothesis.title, idea: hypothesis.idea },
      paperText: fitted.text,
      truncated: fitted.truncated,
      omittedChars: fitted.omittedChars,
    });
    return {
      ...output,
      paper: {
        artifactKey: key,
        pages,
        extractedChars: text.length,
        analyzedChars: text.length - fitted.omittedChars,
        truncated: fitted.truncated,
      },
    };
  }

  private async recordFailure(analysis: PaperAnalysis, attempt: JobAttempt, error: unknown): Promise<void> {
    const { retry, update } = attemptFailure(error, attempt, { retry: PaperAnalysisStatus.QUEUED, final: PaperAnalysisStatus.FAILED });
    this.logger.warn({ runId: analysis.runId, analysisId: analysis.id, attempt: attempt.number, retry, code: update.errorCode, err: error }, 'paper analysis failed');
    await this.analyses.update(analysis.id, [PaperAnalysisStatus.RUNNING], update);
  }

  /** The paper the worker reported (ai.paper.generated), else the newest registered artifact of kind "paper". */
  private async paperKeyOf(run: Run): Promise<string | null> {
    if (run.paper?.status === PaperStatus.GENERATED && run.paper.artifactKey) return run.paper.artifactKey;
    const papers = (await this.artifacts.listByRun(run.id, ['paper'])).filter((a) => a.status === ArtifactStatus.REGISTERED);
    papers.sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
    return papers.find((a) => a.key.toLowerCase().endsWith('.pdf'))?.key ?? papers[0]?.key ?? null;
  }

  private async enqueue(analysisId: string): Promise<void> {
    try {
      await this.queue.enqueue('analyzePaper', { analysisId });
    } catch (error) {
      // The analysis is stored as QUEUED; the next start-up queues it again.
      this.logger.error({ analysisId, err: error }, 'could not enqueue paper analysis');
    }
  }
}
