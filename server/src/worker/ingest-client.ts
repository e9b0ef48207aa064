import { setTimeout as delay } from 'node:timers/promises';
import { ulid } from 'ulid';

export type EventData = Record<string, unknown>;

export interface CloudEvent {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  data: EventData & { run_id: string };
  extensions: { seq: number };
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Upper bound on a server's Retry-After, so a bad header cannot park the worker. */
  maxRetryAfterMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 8_000, maxRetryAfterMs: 60_000, requestTimeoutMs: 15_000 };

/** Where the worker's own diagnostics go (stderr by default); never given the token. */
export type DiagnosticLog = (line: string) => void;

export type Delivery = { ok: true; status: number; body: string } | { ok: false; status?: number; reason: string };

export interface IngestClientOptions {
  baseUrl: string;
  token: string;
  retry?: Partial<RetryPolicy>;
  log?: DiagnosticLog;
  /** Hard stop: in-flight requests are aborted and nothing is retried any more. */
  signal?: AbortSignal;
}

interface RequestSpec {
  label: string;
  method: 'POST' | 'PUT';
  url: string;
  contentType: string;
  body: string | Buffer;
  auth: boolean;
}

/** HTTP transport to the orchestrator's ingest and presign routes, with retries. */
export class IngestClient {
  readonly baseUrl: string;
  private readonly retry: RetryPolicy;
  private readonly log: DiagnosticLog;
  private readonly signal: AbortSignal;

  constructor(private readonly options: IngestClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
    this.signal = options.signal ?? new AbortController().signal;
  }

  /** POST /api/ingest/event: one event as JSON. */
  async sendEvent(event: CloudEvent): Promise<Delivery> {
    const label = `event ${event.type} ${event.id}`;
    return this.request({ label, method: 'POST', url: `${this.baseUrl}/api/ingest/event`, contentType: 'application/json', body: JSON.stringify(event), auth: true });
  }

  /** POST /api/ingest/events: NDJSON batch; a 207's per-line errors go to the diagnostic log. */
  async sendBatch(events: CloudEvent[]): Promise<Delivery> {
    const label = `batch of ${events.length} (${events[0]?.id}..)`;
    const body = `${events.map((e) => JSON.stringify(e)).join('\n')}\n`;
    const delivery = await this.request({ label, method: 'POST', url: `${this.baseUrl}/api/ingest/events`, contentType: 'application/x-ndjson', body, auth: true });
    if (delivery.ok && delivery.status === 207) this.reportLineErrors(label, delivery.body);
    return delivery;
  }

  /** POST /api/runs/<runId>/artifacts/presign. */
  async presign(runId: string, body: Record<string, unknown>): Promise<Delivery> {
    const url = `${this.baseUrl}/api/runs/${encodeURIComponent(runId)}/artifacts/presign`;
    return this.request({ label: `presign ${String(body.filename ?? body.key)}`, method: 'POST', url, contentType: 'application/json', body: JSON.stringify(body), auth: true });
  }

  /** PUT to a presigned URL: the URL carries its own authorisation, so no bearer (S3 would refuse both). */
  async put(url: string, bytes: Buffer, contentType: string): Promise<Delivery> {
    const absolute = new URL(url, `${this.baseUrl}/`).toString();
    return this.request({ label: `upload ${new URL(absolute).pathname}`, method: 'PUT', url: absolute, contentType, body: bytes, auth: false });
  }

  private async request(spec: RequestSpec): Promise<Delivery> {
    let reason = 'not attempted';
    let status: number | undefined;
    for (let attempt = 1; attempt <= this.retry.maxAttempts; attempt++) {
      if (this.signal.aborted) break;
      let wait: number;
      try {
        const response = await fetch(spec.url, {
          method: spec.method,
          headers: { 'content-type': spec.contentType, ...(spec.auth ? { authorization: `Bearer ${this.options.token}` } : {}) },
          body: spec.body,
          signal: AbortSignal.any([this.signal, AbortSignal.timeout(this.retry.requestTimeoutMs)]),
        });
        const body = await response.text();
        status = response.status;
        if (response.ok) return { ok: true, status, body };
        reason = `HTTP ${status}${problemDetail(body)}`;
        if (!isRetryable(status)) {
          this.log(`${spec.label}: refused with ${reason}; not retried`);
          return { ok: false, status, reason };
        }
        wait = retryAfterMs(response.headers.get('retry-after'), this.retry.maxRetryAfterMs) ?? this.backoff(attempt);
      } catch (error) {
        if (this.signal.aborted) break;
        status = undefined;
        reason = networkReason(error);
        wait = this.backoff(attempt);
      }
      if (attempt === this.retry.maxAttempts) break;
      this.log(`${spec.label}: ${reason}; retry ${attempt} in ${Math.round(wait)} ms`);
      try {
        await delay(wait, undefined, { signal: this.signal });
      } catch {
        break;
      }
    }
    if (this.signal.aborted) reason = `stopped before delivery (last: ${reason})`;
    this.log(`${spec.label}: giving up: ${reason}`);
    return { ok: false, status, reason };
  }

  // Exponential with "equal jitter": half fixed, half random, so retries of many workers spread out.
  private backoff(attempt: number): number {
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1));
    return ceiling / 2 + (Math.random() * ceiling) / 2;
  }

  private reportLineErrors(label: string, body: string): void {
    let errors: { line?: number; eventId?: string; field?: string; message?: string }[] = [];
    try {
      const parsed = JSON.parse(body) as { errors?: typeof errors };
      errors = Array.isArray(parsed.errors) ? parsed.errors : [];
    } catch {
      this.log(`${label}: 207 with an unreadable body`);
      return;
    }
    for (const e of errors) {
      this.log(`${label}: line ${e.line ?? '?'}${e.eventId ? ` (${e.eventId})` : ''} rejected${e.field ? ` at ${e.field}` : ''}: ${e.message ?? 'no message'}`);
    }
  }
}

function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function retryAfterMs(header: string | null, max: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isNaN(ms) ? undefined : Math.min(Math.max(ms, 0), max);
}

function problemDetail(body: string): string {
  try {
    const problem = JSON.parse(body) as { detail?: unknown; title?: unknown };
    const text = problem.detail ?? problem.title;
    return typeof text === 'string' ? `: ${text.slice(0, 300)}` : '';
  } catch {
    return '';
  }
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

export interface EmitterOptions {
  runId: string;
  /** Part of the CloudEvents source: worker://<hostname>/<name>; each emitter counts its own seq. */
  name: string;
  hostname: string;
  /** Buffer events and send them as NDJSON batches instead of one request each. */
  batch?: { maxLines: number; flushMs: number };
}

/**
 * Builds CloudEvents for one source (own `seq` counter from 1) and delivers them strictly in
 * order, one request at a time: singly, or in batches when `batch` is set.
 */
export class Emitter {
  readonly source: string;
  private seq = 0;
  private undelivered = 0;
  private buffer: CloudEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly client: IngestClient,
    private readonly options: EmitterOptions,
  ) {
    this.source = `worker://${options.hostname}/${options.name}`;
  }

  /** How many events this emitter built, and how many of them could not be delivered. */
  get stats(): { emitted: number; undelivered: number } {
    return { emitted: this.seq, undelivered: this.undelivered };
  }

  /**
   * Queues one event. Without batching, resolves once it was delivered or given up on; with
   * batching, at once (call flush() to wait for delivery).
   */
  emit(type: string, data: EventData): Promise<void> {
    const event = this.build(type, data);
    if (!this.options.batch) return this.enqueue(async () => this.count(await this.client.sendEvent(event), 1));
    this.buffer.push(event);
    if (this.buffer.length >= this.options.batch.maxLines) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.batch.flushMs);
    return Promise.resolve();
  }

  /** Sends what is buffered now; resolves when everything queued so far is done. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const events = this.buffer;
    this.buffer = [];
    if (events.length === 0) return this.tail.then(() => undefined);
    return this.enqueue(async () => this.count(await this.client.sendBatch(events), events.length));
  }

  private build(type: string, data: EventData): CloudEvent {
    return {
      specversion: '1.0',
      id: ulid(),
      source: this.source,
      type,
      subject: `run/${this.options.runId}`,
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: { ...data, run_id: this.options.runId },
      extensions: { seq: ++this.seq },
    };
  }

  private enqueue(send: () => Promise<void>): Promise<void> {
    const next = this.tail.then(send);
    // One failed send must not stop the ones queued after it.
    this.tail = next.catch(() => undefined);
    return next;
  }

  private count(delivery: Delivery, events: number): void {
    if (!delivery.ok) this.undelivered += events;
  }
}
