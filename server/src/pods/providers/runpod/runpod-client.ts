export interface RunPodClientOptions {
  apiKey: string;
  baseUrl: string;
  requestTimeoutMs: number;
  fetch: typeof fetch;
}

export interface RunPodResponse {
  status: number;
  body: unknown;
}

/** The request never got an answer: it timed out or the connection failed. */
export class RunPodTransportError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'RunPodTransportError';
  }
}

const MAX_MESSAGE_LENGTH = 300;

/** Thin REST v1 client: bearer auth, a timeout on every request, and messages that never carry the key. */
export class RunPodClient {
  private readonly baseUrl: string;

  constructor(private readonly options: RunPodClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async send(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<RunPodResponse> {
    const timeoutMs = this.options.requestTimeoutMs;
    try {
      const response = await this.options.fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        // Covers reading the body too: a server that stalls mid-response still times out.
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      return { status: response.status, body: parseBody(text) };
    } catch (error) {
      const name = (error as { name?: string } | null)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new RunPodTransportError(`${method} ${path} timed out after ${timeoutMs} ms`, true);
      }
      throw new RunPodTransportError(this.redact(`${method} ${path} failed: ${describeNetworkError(error)}`), false);
    }
  }

  /** The error RunPod put in a response (`{"error": "..."}`), or the status line, redacted and bounded. */
  errorMessage(response: RunPodResponse): string {
    const body = response.body;
    let detail: string;
    if (typeof body === 'string') detail = body.trim();
    else if (body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string') detail = (body as { error: string }).error;
    else if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') detail = (body as { message: string }).message;
    else detail = '';
    const message = detail ? `HTTP ${response.status}: ${detail}` : `HTTP ${response.status}`;
    return this.redact(message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message);
  }

  private redact(text: string): string {
    // Belt and braces: nothing we build contains the key, but a proxy or error page could echo it.
    return this.options.apiKey ? text.split(this.options.apiKey).join('[redacted]') : text;
  }
}

function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}
