import { ulid } from 'ulid';
import { type FakeOrchestrator, startFakeOrchestrator } from '../../test/support/fake-orchestrator.js';
import { waitFor } from '../../test/support/wait-for.js';
import { type CloudEvent, Emitter, IngestClient, type RetryPolicy } from './ingest-client.js';

describe('ingest client', () => {
  let fake: FakeOrchestrator;
  let diagnostics: string[];

  beforeEach(async () => {
    fake = await startFakeOrchestrator({ runId: 'run-42' });
    diagnostics = [];
  });
  afterEach(() => fake.close());

  const client = (retry: Partial<RetryPolicy> = {}, signal?: AbortSignal) =>
    new IngestClient({ baseUrl: `${fake.url}/`, token: fake.token, retry: { baseDelayMs: 10, maxDelayMs: 50, ...retry }, log: (l) => diagnostics.push(l), signal });
  const emitter = (c: IngestClient, name = 'lifecycle', batch?: { maxLines: number; flushMs: number }) => new Emitter(c, { runId: 'run-42', name, hostname: 'pod-a', batch });

  describe('Emitter', () => {
    it('builds CloudEvents with a ULID, the subject, run_id and its own seq counter per source', async () => {
      const c = client();
      const lifecycle = emitter(c);
      const logs = emitter(c, 'logs');
      await lifecycle.emit('ai.run.started', { pod_id: 'p1' });
      await logs.emit('ai.run.log', { level: 'info', message: 'hello' });
      await lifecycle.emit('ai.run.heartbeat', { gpu_util: 50 });

      expect(fake.events.map((e) => [e.event.source, e.event.extensions.seq])).toEqual([
        ['worker://pod-a/lifecycle', 1],
        ['worker://pod-a/logs', 1],
        ['worker://pod-a/lifecycle', 2],
      ]);
      const first = fake.events[0].event;
      expect(first).toEqual({
        specversion: '1.0',
        id: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/),
        source: 'worker://pod-a/lifecycle',
        type: 'ai.run.started',
        subject: 'run/run-42',
        time: expect.any(String),
        datacontenttype: 'application/json',
        data: { pod_id: 'p1', run_id: 'run-42' },
        extensions: { seq: 1 },
      });
      expect(new Date(first.time).toISOString()).toBe(first.time);
      expect(fake.requests[0]).toEqual(expect.objectContaining({ path: '/api/ingest/event', contentType: 'application/json', hadAuthorization: true }));
    });

    it('sends buffered events as one NDJSON batch per 50 lines, and the rest after the flush interval', async () => {
      const logs = emitter(client(), 'logs', { maxLines: 50, flushMs: 200 });
      const emittedAt = Date.now();
      for (let i = 0; i < 120; i++) void logs.emit('ai.run.log', { level: 'debug', message: `line ${i}` });
      await waitFor(async () => fake.requests.length, (n) => n === 3, 5_000, 10);

      expect(fake.requests.map((r) => [r.path, r.contentType, r.lines])).toEqual([
        ['/api/ingest/events', 'application/x-ndjson', 50],
        ['/api/ingest/events', 'application/x-ndjson', 50],
        ['/api/ingest/events', 'application/x-ndjson', 20],
      ]);
      expect(fake.requests[2].at - emittedAt).toBeGreaterThanOrEqual(190);
      expect(fake.events.map((e) => e.event.extensions.seq)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
      expect(fake.events.every((e) => e.via === 'batch')).toBe(true);
    });

    it('delivers strictly in seq order even while a request is being retried', async () => {
      fake.failNext(3, { status: 503 });
      const lifecycle = emitter(client());
      await Promise.all(Array.from({ length: 10 }, (_, i) => lifecycle.emit('ai.run.stage_progress', { stage: 'Stage_1', progress: i / 10 })));

      expect(fake.events.map((e) => e.event.extensions.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(lifecycle.stats).toEqual({ emitted: 10, undelivered: 0 });
    });
  });

  describe('retries', () => {
    const anEvent = (): CloudEvent => ({
      specversion: '1.0',
      id: ulid(),
      source: 'worker://pod-a/lifecycle',
      type: 'ai.run.heartbeat',
      subject: 'run/run-42',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: { run_id: 'run-42' },
      extensions: { seq: 1 },
    });

    it('retries 5xx, 408 and dropped connections, then delivers', async () => {
      fake.failNext(1, { status: 500 });
      fake.failNext(1, { status: 408 });
      fake.failNext(1, { reset: true });
      fake.failNext(1, { status: 503 });

      const delivery = await client().sendEvent(anEvent());

      expect(delivery).toEqual(expect.objectContaining({ ok: true, status: 201 }));
      expect(fake.requests.map((r) => r.status)).toEqual([500, 408, 0, 503, 201]);
      expect(fake.events).toHaveLength(1);
      expect(diagnostics).toHaveLength(4);
    });

    it('honours Retry-After on 429', async () => {
      fake.failNext(1, { status: 429, retryAfter: '1' });
      await client().sendEvent(anEvent());

      const [throttled, accepted] = fake.requests;
      expect([throttled.status, accepted.status]).toEqual([429, 201]);
      expect(accepted.at - throttled.at).toBeGreaterThanOrEqual(950);
    });

    it('never retries another 4xx: logs it and moves on', async () => {
      const event = { ...anEvent(), subject: 'run/someone-else' };
      const delivery = await client().sendEvent(event);

      expect(delivery).toEqual({ ok: false, status: 403, reason: 'HTTP 403: token is not valid for this run' });
      expect(fake.requests).toHaveLength(1);
      expect(diagnostics).toEqual([`event ai.run.heartbeat ${event.id}: refused with HTTP 403: token is not valid for this run; not retried`]);
    });

    it('prints the per-line errors of a 207 and does not resend the batch', async () => {
      const good = anEvent();
      const bad = { ...anEvent(), specversion: '0.3' } as unknown as CloudEvent;
      const delivery = await client().sendBatch([good, bad]);

      expect(delivery).toEqual(expect.objectContaining({ ok: true, status: 207 }));
      expect(fake.requests).toHaveLength(1);
      expect(diagnostics).toEqual([expect.stringContaining(`line 2 (${bad.id}) rejected at specversion: must be "1.0"`)]);
    });

    it('gives up after the last attempt and says so, without the token', async () => {
      fake.failNext(10, { status: 503 });
      const lifecycle = emitter(client({ maxAttempts: 3 }));
      await lifecycle.emit('ai.run.heartbeat', {});

      expect(fake.requests).toHaveLength(3);
      expect(lifecycle.stats).toEqual({ emitted: 1, undelivered: 1 });
      expect(diagnostics.at(-1)).toMatch(/giving up: HTTP 503: injected failure$/);
      expect(diagnostics.join('\n')).not.toContain(fake.token);
    });

    it('stops retrying at once when the hard-stop signal fires', async () => {
      fake.failNext(1000, { status: 503 });
      const stop = new AbortController();
      const sending = client({ maxAttempts: 1000, baseDelayMs: 50, maxDelayMs: 50 }, stop.signal).sendEvent(anEvent());
      await new Promise((resolve) => setTimeout(resolve, 120));
      stop.abort();
      const started = Date.now();

      expect(await sending).toEqual(expect.objectContaining({ ok: false }));
      expect(Date.now() - started).toBeLessThan(100);
    });
  });
});
