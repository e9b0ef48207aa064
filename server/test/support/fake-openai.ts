import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One chat completions request as the fake received it. */
export interface FakeChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  /** `response_format.json_schema.name`, when the request asked for structured output. */
  schemaName: string | null;
  body: Record<string, any>;
  authorization: string | undefined;
  /** HTTP status the fake answered with (0 while still pending). */
  status: number;
}

/** What the fake answers one request with. */
export type FakeReply =
  /** A structured answer: the JSON is sent as the message content. */
  | { json: unknown; usage?: { prompt?: number; completion?: number }; model?: string }
  /** Raw message content (malformed answers). */
  | { content: string; finishReason?: 'stop' | 'length' }
  /** A refusal instead of content. */
  | { refusal: string }
  /** An HTTP error in OpenAI's shape; `retryAfter` sets the Retry-After header (seconds or a date). */
  | { status: number; message?: string; type?: string; retryAfter?: string | number }
  /** Answer only after a delay (longer than the client's timeout: the request times out). */
  | { delayMs: number; then: FakeReply }
  /** Close the connection without answering. */
  | { hangUp: true };

export type FakeResponder = (request: FakeChatRequest) => FakeReply;

/**
 * A local OpenAI-compatible server: POST /v1/chat/completions with `response_format` json_schema.
 * Tests script it: a queue of replies taken in order, then responders by schema name, else a
 * 500 that names the missing script. Every request is recorded in `requests`.
 */
export class FakeOpenAi {
  readonly requests: FakeChatRequest[] = [];
  private readonly queue: FakeReply[] = [];
  private readonly responders = new Map<string, FakeResponder>();
  private readonly sockets = new Set<import('node:net').Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private port = 0;

  private readonly server: Server;

  private constructor(readonly apiKey: string) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(apiKey = `sk-test-${randomBytes(8).toString('hex')}`): Promise<FakeOpenAi> {
    const fake = new FakeOpenAi(apiKey);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** For OPENAI_BASE_URL. */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** The variables that point the app at this fake. */
  get env(): Record<string, string> {
    return { OPENAI_API_KEY: this.apiKey, OPENAI_BASE_URL: this.baseUrl };
  }

  /** Replies for the next requests, in order, whatever they ask. */
  enqueue(...replies: FakeReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** Answers requests for one schema once the queue is empty. */
  respond(schemaName: string, responder: FakeResponder | FakeReply): this {
    this.responders.set(schemaName, typeof responder === 'function' ? responder : () => responder);
    return this;
  }

  requestsFor(schemaName: string): FakeChatRequest[] {
    return this.requests.filter((r) => r.schemaName === schemaName);
  }

  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.responders.clear();
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (req.method !== 'POST' || req.url?.split('?')[0] !== '/v1/chat/completions') {
      return sendError(res, 404, `Unknown route ${req.method} ${req.url}`, 'invalid_request_error');
    }
    let body: Record<string, any>;
    try {
      body = JSON.parse(raw);
    } catch {
      return sendError(res, 400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
    }
    const request: FakeChatRequest = {
      model: body.model,
      messages: body.messages ?? [],
      schemaName: body.response_format?.json_schema?.name ?? null,
      body,
      authorization: req.headers.authorization,
      status: 0,
    };
    this.requests.push(request);
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) {
      request.status = 401;
      return sendError(res, 401, 'Incorrect API key provided.', 'invalid_request_error');
    }
    const problem = checkRequest(body);
    if (problem) {
      request.status = 400;
      return sendError(res, 400, problem, 'invalid_request_error');
    }
    const reply = this.queue.shift() ?? this.responders.get(request.schemaName ?? '')?.(request);
    if (!reply) {
      request.status = 500;
      return sendError(res, 500, `fake-openai: no reply scripted for schema ${request.schemaName}`, 'server_error');
    }
    await this.send(res, request, reply);
  }

  private async send(res: ServerResponse, request: FakeChatRequest, reply: FakeReply): Promise<void> {
    if ('delayMs' in reply) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, reply.delayMs);
        this.timers.add(timer);
      });
      if (res.destroyed) return;
      return this.send(res, request, reply.then);
    }
    if ('hangUp' in reply) {
      res.socket?.destroy();
      return;
    }
    if ('status' in reply) {
      request.status = reply.status;
      const headers: Record<string, string> = reply.retryAfter !== undefined ? { 'retry-after': String(reply.retryAfter) } : {};
      return sendError(res, reply.status, reply.message ?? `fake-openai error ${reply.status}`, reply.type ?? 'server_error', headers);
    }
    request.status = 200;
    const content = 'json' in reply ? JSON.stringify(reply.json) : 'content' in reply ? reply.content : null;
    const promptChars = request.messages.reduce((n, m) => n + String(m.content ?? '').length, 0);
    const usage = 'json' in reply ? reply.usage : undefined;
    const prompt = usage?.prompt ?? Math.ceil(promptChars / 4);
    const completion = usage?.completion ?? Math.ceil((content ?? '').length / 4);
    res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_${randomBytes(6).toString('hex')}` });
    res.end(
      JSON.stringify({
        id: `chatcmpl-${randomBytes(8).toString('hex')}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: ('json' in reply && reply.model) || request.model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content, refusal: 'refusal' in reply ? reply.refusal : null },
            finish_reason: 'content' in reply && reply.finishReason ? reply.finishReason : 'stop',
            logprobs: null,
          },
        ],
        usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion },
      }),
    );
  }
}

/** What the real API would reject: no model, no messages, or a response_format that is not a strict json_schema. */
function checkRequest(body: Record<string, any>): string | null {
  if (typeof body.model !== 'string' || !body.model) return 'you must provide a model parameter';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "'messages' must be a non-empty array";
  const format = body.response_format;
  if (format === undefined) return null;
  if (format.type !== 'json_schema') return `fake-openai supports response_format json_schema only (got ${format.type})`;
  const schema = format.json_schema;
  if (typeof schema?.name !== 'string' || !/^[a-zA-Z0-9_-]{1,64}$/.test(schema.name)) return "Invalid 'response_format.json_schema.name'";
  if (schema.strict !== true || typeof schema.schema !== 'object') return 'fake-openai expects strict json_schema with a schema';
  return strictProblem(schema.schema, 'schema');
}

// Strict mode's rules on every object: additionalProperties false and all properties required.
function strictProblem(schema: any, path: string): string | null {
  if (schema?.type === 'object') {
    if (schema.additionalProperties !== false) return `Invalid schema: ${path} must set additionalProperties: false`;
    const keys = Object.keys(schema.properties ?? {});
    const required = new Set<string>(schema.required ?? []);
    const missing = keys.find((k) => !required.has(k));
    if (missing) return `Invalid schema: ${path}.required must list every property (missing ${missing})`;
    for (const key of keys) {
      const problem = strictProblem(schema.properties[key], `${path}.${key}`);
      if (problem) return problem;
    }
  }
  if (schema?.type === 'array') return strictProblem(schema.items, `${path}[]`);
  return null;
}

function sendError(res: ServerResponse, status: number, message: string, type: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { message, type, param: null, code: null } }));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
