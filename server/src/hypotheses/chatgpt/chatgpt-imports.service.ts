import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { publishChange } from '../../infra/pubsub/publish-change.js';
import { PUB_SUB } from '../../infra/pubsub/pubsub.module.js';
import { attemptFailure, type JobAttempt } from '../../infra/queues/job-attempt.js';
import { ValidatorQueue } from '../../infra/queues/validator.queue.js';
import { HypothesesService, type HypothesisIdeationCommand } from '../hypotheses.service.js';
import { ChatGptExtractor } from './chatgpt-extractor.js';
import { type ChatGptExtraction, type ChatGptImport, ExtractionStatus, newChatGptImport } from './chatgpt-import.js';
import { chatGptImportNotFound } from './chatgpt.errors.js';
import { CHATGPT_IMPORTS_REPOSITORY, type ChatGptImportsRepository } from './chatgpt-imports.repository.js';
import { type ChatGptImportChangedPayload, ChatGptImportsTopics } from './chatgpt-imports.topics.js';

const UNFINISHED: readonly ExtractionStatus[] = [ExtractionStatus.PENDING, ExtractionStatus.EXTRACTING];

/**
 * ChatGPT share links as hypotheses: `extract` reads a link right away; `request` stores an import
 * whose `importChatGpt` job (validator queue) extracts the hypothesis and then creates it exactly
 * like createHypothesis would (a run, or an ideation when asked for).
 */
@Injectable()
export class ChatGptImportsService implements OnApplicationBootstrap {
  constructor(
    @Inject(CHATGPT_IMPORTS_REPOSITORY) private readonly imports: ChatGptImportsRepository,
    private readonly extractor: ChatGptExtractor,
    private readonly hypotheses: HypothesesService,
    private readonly queue: ValidatorQueue,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(ChatGptImportsService.name);
  }

  /** A pending import whose job was lost (a crash before the enqueue) is queued again at start-up. */
  async onApplicationBootstrap() {
    for (const id of await this.imports.listIdsByStatus([ExtractionStatus.PENDING])) await this.enqueue(id);
  }

  extract(url: string): Promise<ChatGptExtraction> {
    return this.extractor.extract(url);
  }

  /** Checks the link and what the hypothesis will need (an LLM for ideation), stores a PENDING import and queues it. */
  async request(url: string, createdBy: string, ideation: HypothesisIdeationCommand | null): Promise<ChatGptImport> {
    const shareUrl = this.extractor.validateUrl(url);
    if (ideation) this.hypotheses.assertIdeationAvailable();
    const created = await this.imports.insert(
      newChatGptImport({
        id: randomUUID(),
        url: shareUrl.href,
        enableIdeation: ideation !== null,
        reflections: ideation?.reflections ?? 0,
        autoLaunch: ideation?.autoLaunch ?? false,
        createdBy,
        createdAt: new Date(),
      }),
    );
    this.logger.info({ importId: created.id, url: created.url }, 'ChatGPT import queued');
    await this.enqueue(created.id);
    return created;
  }

  async get(id: string): Promise<ChatGptImport> {
    const found = await this.imports.findById(id);
    if (!found) throw chatGptImportNotFound(id);
    return found;
  }

  /** The `importChatGpt` job. A failure is recorded (PENDING again while the job will be retried, FAILED on the last attempt) and rethrown. */
  async import(importId: string, attempt: JobAttempt): Promise<void> {
    const request = await this.imports.findById(importId);
    if (!request || !UNFINISHED.includes(request.status)) return;
    const now = new Date();
    const extracting = await this.imports.update(importId, UNFINISHED, {
      status: ExtractionStatus.EXTRACTING,
      attempts: attempt.number,
      startedAt: request.startedAt ?? now,
      updatedAt: now,
    });
    if (!extracting) return;
    await this.publish(extracting);
    try {
      const extraction = await this.extractor.extract(request.url);
      // The hypothesis takes the import's id: a repeated job finds the one it created.
      const [existing] = await this.hypotheses.getMany([request.id]);
      const hypothesis =
        existing ??
        (
          await this.hypotheses.create({
            id: request.id,
            title: extraction.title,
            idea: extraction.idea,
            createdBy: request.createdBy,
            chatGptUrl: request.url,
            ideation: request.enableIdeation ? { reflections: request.reflections, autoLaunch: request.autoLaunch } : null,
          })
        ).hypothesis;
      const completed = await this.imports.update(importId, [ExtractionStatus.EXTRACTING], {
        status: ExtractionStatus.COMPLETED,
        hypothesisId: hypothesis.id,
        format: extraction.format,
        method: extraction.method,
        messageCount: extraction.transcript.length,
        errorCode: null,
        errorMessage: null,
        completedAt: new Date(),
        updatedAt: new Date(),
      });
      this.logger.info({ importId, hypothesisId: hypothesis.id, method: extraction.method }, 'ChatGPT import completed');
      if (completed) await this.publish(completed);
    } catch (error) {
      const { retry, update } = attemptFailure(error, attempt, { retry: ExtractionStatus.PENDING, final: ExtractionStatus.FAILED });
      this.logger.warn({ importId, attempt: attempt.number, retry, code: update.errorCode, err: error }, 'ChatGPT import failed');
      const failed = await this.imports.update(importId, [ExtractionStatus.EXTRACTING], update);
      if (failed) await this.publish(failed);
      throw error;
    }
  }

  /** Tells subscribers (chatGptImportUpdated) about a stored change. */
  private async publish(request: ChatGptImport): Promise<void> {
    const payload: ChatGptImportChangedPayload = { import: request };
    await publishChange(this.pubSub, this.logger, [ChatGptImportsTopics.updated(request.id)], payload, { importId: request.id });
  }

  private async enqueue(importId: string): Promise<void> {
    try {
      await this.queue.enqueue('importChatGpt', { importId });
    } catch (error) {
      // The import is stored as PENDING; the next start-up queues it again.
      this.logger.error({ importId, err: error }, 'could not enqueue ChatGPT import');
    }
  }
}
