import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedEvent {
  event: Record<string, any>;
  via: 'single' | 'batch';
  at: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  contentType?: string;
  /** Non-blank lines of an NDJSON batch. */
  lines?: number;
  hadAuthorization: boolean;
  at: number;
}

export interface Upload {
  key: string;
  bytes: Buffer;
  contentType?: string;
}

/** A failure to inject: an HTTP status (with Retry-After), or a dropped connection. */
export interface InjectedFailure {
  status?: number;
  retryAfter?: string;
  /** Destroy the socket without answering (a network error for the client). */
  reset?: boolean;
  /** Store the events first, then fail: the response is "lost", so the retry is a duplicate. */
  afterStoring?: boolean;
  /** Only requests whose path matches (default: all). */
  path?: RegExp;
}

export interface FakeOrchestrator {
  url: string;
  runId: string;
  token: string;
  /** Unique events (by id) in arrival order. */
  events: RecordedEvent[];
  /** Ids of events that arrived again. */
  duplicates: string[];
  requests: RecordedRequest[];
  uploads: Map<string, Upload>;
  presigns: Record<string, any>[];
  failNext(count: number, failure: InjectedFailure): void;
  ofType(type: string): Record<string, any>[];
  close(): Promise<void>;
}

/**
 * The orchestrator's worker-facing routes as spec/events.md describes them (ingest of single
 * events and NDJSON batches, presign, and the presigned PUT target), recording everything and
 * able to fail on demand. Accepts one run and its token; other subjects are refused like the real one.
 */
export async function startFakeOrchestrator({ runId = 'run-1', token = `run-token-${randomBytes(8).toString('hex')}` } = {}): Promise<FakeOrchestrator> {
  const secret = randomBytes(16);
  const failures: { remaining: number; failure: InjectedFailure }[] = [];
  const state: Omit<FakeOrchestrator, 'url' | 'failNext' | 'ofType' | 'close'> = { runId, token, events: [], duplicates: [], requests: [], uploads: new Map(), presigns: [] };
  const seen = new Set<string>();
  let baseUrl = '';

  const sign = (key: string, expires: number) => createHmac('sha256', secret).update(`${key}\n${expires}`).digest('hex');

  function store(event: Record<string, any>, via: RecordedEvent['via']): 'accepted' | 'duplicate' {
    if (seen.has(event.id)) {
      state.duplicates.push(event.id);
      return 'duplicate';
    }
    seen.add(event.id);
    state.events.push({ event, via, at: Date.now() });
    return 'accepted';
  }

  // The response body is produced lazily: producing it stores the events.
  function handle(req: IncomingMessage, body: Buffer): Outcome {
    const url = new URL(req.url ?? '/', baseUrl);
    if (req.method === 'PUT' && url.pathname.startsWith('/upload/')) {
      const key = decodeURIComponent(url.pathname.slice('/upload/'.length));
      const expires = Number(url.searchParams.get('expires'));
      if (url.searchParams.get('signature') !== sign(key, expires) || expires < Date.now()) return problem(403, 'bad or expired signature');
      state.uploads.set(key, { key, bytes: body, contentType: req.headers['content-type'] });
      return { status: 200 };
    }
    if (!authorized(req.headers.authorization, token)) return problem(401, 'missing or invalid run token');

    if (req.method === 'POST' && url.pathname === '/api/ingest/event') {
      let event: Record<string, any>;
      try {
        event = JSON.parse(body.toString('utf8'));
      } catch {
        return problem(400, 'malformed JSON');
      }
      const error = envelopeError(event, runId);
      if (error) return problem(error.status, error.message, { field: error.field });
      return { status: 201, body: () => ({ eventId: event.id, status: store(event, 'single') }) };
    }
    if (req.method === 'POST' && url.pathname === '/api/ingest/events') {
      if (!String(req.headers['content-type']).startsWith('application/x-ndjson')) return problem(415, 'batches are application/x-ndjson');
      const lines = body.toString('utf8').split('\n');
      const valid: Record<string, any>[] = [];
      const errors: { line: number; eventId?: string; field?: string; message: string }[] = [];
      lines.forEach((line, i) => {
        if (!line.trim()) return;
        try {
          const event = JSON.parse(line);
          const error = envelopeError(event, runId);
          if (error) errors.push({ line: i + 1, eventId: event.id, field: error.field, message: error.message });
          else valid.push(event);
        } catch {
          errors.push({ line: i + 1, message: 'malformed JSON' });
        }
      });
      const respond = () => {
        const counts = { accepted: 0, duplicates: 0, invalid: errors.length };
        for (const event of valid) counts[store(event, 'batch') === 'accepted' ? 'accepted' : 'duplicates']++;
        return errors.length ? { ...counts, errors } : counts;
      };
      return { status: errors.length ? 207 : 202, body: respond };
    }
    const presign = /^\/api\/runs\/([^/]+)\/artifacts\/presign$/.exec(url.pathname);
    if (req.method === 'POST' && presign) {
      if (decodeURIComponent(presign[1]) !== runId) return problem(403, 'token is not valid for this run');
      let request: Record<string, any>;
      try {
        request = JSON.parse(body.toString('utf8'));
      } catch {
        return problem(400, 'malformed JSON');
      }
      const filename = String(request.filename ?? '');
      if (request.action !== 'put' || !filename || filename.includes('..') || filename.startsWith('/') || [...filename].some((c) => c.charCodeAt(0) < 32)) {
        return problem(400, 'action must be put and filename a relative name');
      }
      state.presigns.push(request);
      const key = `runs/${runId}/${filename}`;
      const expires = Date.now() + 15 * 60_000;
      const target = `${baseUrl}/upload/${encodeURIComponent(key)}?expires=${expires}&signature=${sign(key, expires)}`;
      return { status: 200, body: () => ({ url: target, key, expiresAt: new Date(expires).toISOString() }) };
    }
    return problem(404, `no route ${req.method} ${url.pathname}`);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const path = new URL(req.url ?? '/', baseUrl).pathname;
      const pending = failures.find((f) => f.remaining > 0 && (!f.failure.path || f.failure.path.test(path)));
      if (pending) pending.remaining--;
      const failure = pending?.failure;
      const record = (status: number) =>
        state.requests.push({
          method: req.method ?? '',
          path,
          status,
          contentType: req.headers['content-type'],
          lines: path === '/api/ingest/events' ? body.toString('utf8').split('\n').filter((l) => l.trim()).length : undefined,
          hadAuthorization: !!req.headers.authorization,
          at: Date.now(),
        });

      if (failure?.reset) {
        record(0);
        req.socket.destroy();
        return;
      }
      let outcome: Outcome = failure && !failure.afterStoring ? problem(failure.status ?? 503, 'injected failure') : handle(req, body);
      let json = outcome.body?.();
      if (failure?.afterStoring) {
        outcome = problem(failure.status ?? 503, 'injected failure after storing');
        json = outcome.body?.();
      }
      if (failure?.retryAfter !== undefined) res.setHeader('retry-after', failure.retryAfter);
      record(outcome.status);
      res.writeHead(outcome.status, { 'content-type': outcome.status >= 400 ? 'application/problem+json' : 'application/json' });
      res.end(json === undefined ? '' : JSON.stringify(json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return Object.assign(state, {
    url: baseUrl,
    failNext: (count: number, failure: InjectedFailure) => void failures.push({ remaining: count, failure }),
    ofType: (type: string) => state.events.filter((e) => e.event.type === type).map((e) => e.event),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

interface Outcome {
  status: number;
  body?: () => unknown;
}

function problem(status: number, detail: string, extra: Record<string, unknown> = {}) {
  return { status, body: (): unknown => ({ type: 'about:blank', title: detail, status, detail, ...extra }) };
}

function authorized(header: string | undefined, token: string): boolean {
  if (!header) return false;
  if (header === `Bearer ${token}`) return true;
  const basic = /^Basic (.+)$/.exec(header);
  return !!basic && Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0] === token;
}

// The checks the real ingest makes before storing; the worker's tests check the rest themselves.
function envelopeError(event: any, runId: string): { status: number; field: string; message: string } | undefined {
  if (typeof event !== 'object' || event === null) return { status: 400, field: '', message: 'event must be an object' };
  if (event.specversion !== '1.0') return { status: 400, field: 'specversion', message: 'must be "1.0"' };
  for (const field of ['id', 'source', 'type', 'subject', 'time']) {
    if (typeof event[field] !== 'string' || !event[field]) return { status: 400, field, message: 'must be a non-empty string' };
  }
  if (event.subject !== `run/${runId}`) return { status: 403, field: 'subject', message: 'token is not valid for this run' };
  if (typeof event.data !== 'object' || event.data === null) return { status: 400, field: 'data', message: 'must be an object' };
  return undefined;
}
