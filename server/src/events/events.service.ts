import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { RedisPubSub } from 'graphql-redis-subscriptions';
import { PinoLogger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Subject, type Subscription } from 'rxjs';
import type { Principal } from '../common/auth/principal.js';
import { infrastructureFault } from '../common/errors/infrastructure-fault.js';
import { decodeSeqCursor, type Page, SortDirection } from '../common/pagination/cursor.js';
import { Env } from '../config/env.js';
import { PUB_SUB } from '../infra/pubsub/pubsub.module.js';
import { RunsService } from '../runs/runs.service.js';
import { LOG_TYPE, STATUS_CHANGED_TYPE } from './catalogue/catalogue.js';
import type { IncomingEvent, LogLevel, StoredEvent } from './event.js';
import { emptyIngest, tooManyLines } from './events.errors.js';
import { EVENTS_REPOSITORY, type EventsRepository } from './events.repository.js';
import { runEventStream } from './live/run-event-stream.js';
import { type EventsAppendedPayload, EventsTopics, toWire } from './events.topics.js';
import { type LineError, parseEventLine } from './parsing/cloud-event.parser.js';
import { ProjectionService } from './projection/projection.service.js';
import { RunLocks } from './run-lock.js';
import { RunTokensService } from './run-tokens/run-tokens.service.js';

// An orchestrator feed entry waits out an outage of up to ~5 minutes (1 s doubling to 10 s, then 10 s).
const FEED_RETRY_ATTEMPTS = 35;
const FEED_RETRY_BASE_DELAY_MS = 1_000;
const FEED_RETRY_MAX_DELAY_MS = 10_000;

export interface IngestResult {
  /** Per line, in order: the stored event, `duplicate`, or its errors. */
  lines: ({ line: number; eventId: string; status: 'accepted' | 'duplicate'; known: boolean } | { line: number; errors: LineError[] })[];
  accepted: number;
  duplicates: number;
  invalid: number;
  unknown: number;
  errors: LineError[];
}

export interface FeedQuery {
  first: number;
  after?: string | null;
  afterSeq?: number | null;
  order: SortDirection;
  types?: readonly string[] | null;
  levels?: readonly LogLevel[] | null;
  search?: string | null;
}

/**
 * The ingest pipeline: validate each line, check the token may post for its run, then per run
 * (under the run's lock) store what is new and project it, and only then publish it.
 * One bad line never sinks the others.
 */
@Injectable()
export class EventsService implements OnApplicationBootstrap, OnModuleDestroy {
  private transitionsSubscription?: Subscription;
  private readonly stopping = new AbortController();
  /** Fires when the pub/sub subscriber reconnected: messages published meanwhile were lost, live streams re-read the store. */
  private readonly resyncs = new Subject<void>();
  private readonly onSubscriberReady = () => {
    // PING is answered after the resubscription ioredis sends on reconnect: from then on nothing more is missed.
    this.pubSub.getSubscriber().ping().then(
      () => this.resyncs.next(),
      () => undefined,
    );
  };

  constructor(
    @Inject(EVENTS_REPOSITORY) private readonly events: EventsRepository,
    private readonly projection: ProjectionService,
    private readonly locks: RunLocks,
    private readonly runs: RunsService,
    private readonly runTokens: RunTokensService,
    private readonly env: Env,
    @Inject(PUB_SUB) private readonly pubSub: RedisPubSub,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(EventsService.name);
  }

  /** Events stored but not projected before a crash are applied now; the orchestrator's own status changes join the feed. */
  async onApplicationBootstrap() {
    const pending = await this.projection.runsWithPendingProjection();
    for (const runId of pending) await this.locks.withLock(runId, () => this.projection.catchUp(runId));
    if (pending.length > 0) this.logger.info({ runs: pending.length }, 'projected events stored before a restart');
    this.pubSub.getSubscriber().on('ready', this.onSubscriberReady);
    this.transitionsSubscription = this.runs.transitions.subscribe(({ runId, transition, origin }) => {
      // A worker's own status change is already in the feed as the event that asked for it.
      if (origin !== 'orchestrator') return;
      const entry = { type: STATUS_CHANGED_TYPE, time: transition.at, data: { from: transition.from, to: transition.to, reason: transition.reason, by: transition.by } };
      void this.record(runId, entry).catch((error: unknown) => this.logger.error({ runId, err: error }, 'could not record a status change in the feed'));
    });
  }

  onModuleDestroy() {
    this.stopping.abort();
    this.transitionsSubscription?.unsubscribe();
    this.pubSub.getSubscriber().off('ready', this.onSubscriberReady);
    this.resyncs.complete();
  }

  /** Ingests the lines of one request (a single event is a one-line batch). */
  async ingest(body: string, principal: Principal): Promise<IngestResult> {
    const texts = body.split('\n').map((text, index) => ({ text: text.trim(), line: index + 1 })).filter((l) => l.text.length > 0);
    if (texts.length === 0) throw emptyIngest();
    if (texts.length > this.env.INGEST_MAX_BATCH_LINES) throw tooManyLines(texts.length, this.env.INGEST_MAX_BATCH_LINES);

    const parsed = texts.map(({ text, line }) => parseEventLine(text, line));
    const existingRuns = new Set(
      (await this.runs.getMany([...new Set(parsed.flatMap((p) => ('event' in p ? [p.event.runId] : [])))])).flatMap((r) => (r ? [r.id] : [])),
    );
    const lines: IngestResult['lines'] = parsed.map((p) => {
      if (!('event' in p)) return p;
      const refusal = this.refusal(p.event, principal, existingRuns);
      return refusal ? { line: p.line, errors: [{ line: p.line, eventId: p.event.id, ...refusal }] } : p;
    }) as never;

    const byRun = new Map<string, { line: number; event: IncomingEvent }[]>();
    for (const entry of lines as ({ line: number; event: IncomingEvent } | { line: number; errors: LineError[] })[]) {
      if ('event' in entry) byRun.set(entry.event.runId, [...(byRun.get(entry.event.runId) ?? []), entry]);
    }
    const outcome = new Map<number, IngestResult['lines'][number]>();
    for (const [runId, entries] of byRun) {
      const stored = await this.store(runId, entries.map((e) => e.event));
      const storedIds = new Set(stored.map((e) => e.id));
      for (const { line, event } of entries) {
        // The first line carrying an id stores it; later lines with the same id are duplicates.
        const accepted = storedIds.delete(event.id);
        outcome.set(line, { line, eventId: event.id, status: accepted ? 'accepted' : 'duplicate', known: event.known });
      }
    }

    const results = (lines as { line: number }[]).map((l) => outcome.get(l.line) ?? (l as IngestResult['lines'][number]));
    const errors = results.flatMap((r) => ('errors' in r ? r.errors : []));
    const ok = results.filter((r): r is Extract<IngestResult['lines'][number], { status: string }> => 'status' in r);
    return {
      lines: results,
      accepted: ok.filter((r) => r.status === 'accepted').length,
      duplicates: ok.filter((r) => r.status === 'duplicate').length,
      unknown: ok.filter((r) => r.status === 'accepted' && !r.known).length,
      invalid: results.length - ok.length,
      errors,
    };
  }

  /** A new ingest token for an existing run. */
  async issueRunToken(runId: string): Promise<string> {
    await this.runs.get(runId);
    return this.runTokens.issue(runId);
  }

  /** A page of a run's events; the filter applies before paging, and seq cursors stay valid while events arrive. */
  async feed(runId: string, query: FeedQuery): Promise<{ page: Page<StoredEvent>; totalCount: number }> {
    await this.runs.get(runId);
    const cursor = query.after ? decodeSeqCursor(query.after) : undefined;
    const filter = { types: query.types ?? undefined, levels: query.levels ?? undefined, search: query.search ?? undefined };
    const ascending = query.order === SortDirection.ASC;
    const afterSeq = ascending ? Math.max(cursor ?? 0, query.afterSeq ?? 0) : (query.afterSeq ?? undefined);
    const [{ items, hasMore }, totalCount] = await Promise.all([
      this.events.list(runId, { ...filter, afterSeq, beforeSeq: ascending ? undefined : cursor, direction: query.order, limit: query.first }),
      this.events.count(runId, filter),
    ]);
    return { page: { items, hasNextPage: hasMore }, totalCount };
  }

  /** A run's events for one subscriber: replay after `afterSeq`, then live, each once and in order. */
  async stream(runId: string, afterSeq: number | null | undefined, matches: (event: StoredEvent) => boolean) {
    await this.runs.get(runId);
    return runEventStream({ pubSub: this.pubSub, events: this.events, resyncs: this.resyncs }, { runId, afterSeq, matches });
  }

  /**
   * Records an orchestrator entry, waiting out an outage of Redis or the store (the status change
   * itself is already stored): the feed must not lose it. Other failures are not retried.
   */
  private async record(runId: string, event: Pick<IncomingEvent, 'type' | 'time' | 'data'>): Promise<void> {
    const id = randomUUID(); // one id across attempts: an attempt that stored it before failing is not repeated
    for (let attempt = 1; ; attempt++) {
      try {
        await this.store(runId, [{ id, runId, source: 'orchestrator', sourceSeq: null, traceparent: null, known: true, level: null, message: null, ...event }]);
        return;
      } catch (error) {
        const fault = infrastructureFault(error);
        if (!fault || attempt >= FEED_RETRY_ATTEMPTS || this.stopping.signal.aborted) throw error;
        this.logger.warn({ runId, attempt, reason: fault.reason }, 'feed entry waits for the store or Redis');
        const delay = Math.min(FEED_RETRY_MAX_DELAY_MS, FEED_RETRY_BASE_DELAY_MS * 2 ** (attempt - 1));
        await sleep(delay, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      }
    }
  }

  /** Appends log lines the orchestrator saw for a run (its provisioning, its worker's console) as ai.run.log events. */
  async recordLogs(runId: string, source: string, lines: readonly { time: Date; level: LogLevel; message: string }[]): Promise<void> {
    if (lines.length === 0) return;
    await this.store(
      runId,
      lines.map(({ time, level, message }) => ({
        id: randomUUID(),
        runId,
        type: LOG_TYPE,
        source,
        sourceSeq: null,
        time,
        data: { level, message, source },
        traceparent: null,
        known: true,
        level,
        message,
      })),
    );
  }

  private refusal(event: IncomingEvent, principal: Principal, existingRuns: Set<string>): Omit<LineError, 'line' | 'eventId'> | null {
    if (principal.kind === 'run' && principal.runId !== event.runId) {
      return { status: 403, field: 'subject', rule: 'runToken', message: `this run token may only post events for run ${principal.runId}` };
    }
    if (!existingRuns.has(event.runId)) return { status: 404, field: 'subject', rule: 'runExists', message: `run ${event.runId} does not exist` };
    return null;
  }

  private async store(runId: string, events: IncomingEvent[]): Promise<StoredEvent[]> {
    const { stored, projectionFailure } = await this.locks.withLock(runId, async () => {
      const { stored: fresh } = await this.events.append(runId, events, new Date());
      // Also when nothing is new: the retry of a request whose projection failed after its events
      // were stored (a busy store, a full disk) finds only duplicates, and must apply them now.
      try {
        await this.projection.catchUp(runId, fresh);
        return { stored: fresh, projectionFailure: null };
      } catch (error) {
        return { stored: fresh, projectionFailure: error as Error };
      }
    });
    if (stored.length > 0) {
      const payload: EventsAppendedPayload = { runId, events: stored.map(toWire) };
      // Durable before published; a lost publish is healed by subscribers reading the store.
      await this.pubSub.publish(EventsTopics.eventsAppended(runId), payload).catch((error: unknown) =>
        this.logger.warn({ runId, err: error }, 'could not publish stored events'),
      );
    }
    // Stored and published, not yet projected: the client hears of the failure and retries.
    if (projectionFailure) throw projectionFailure;
    return stored;
  }
}
