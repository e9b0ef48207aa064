import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { Env } from '../../config/env.js';
import {
  LlmError,
  type LlmFeature,
  llmAuthFailed,
  llmMalformedResponse,
  llmNotConfigured,
  llmRateLimited,
  llmRefused,
  llmRequestRejected,
  llmResponseTruncated,
  llmTimeout,
  llmUnavailable,
} from './llm.errors.js';

export interface LlmMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Tokens one or more calls used, as the server reported them (0 when it reports nothing). */
export interface LlmUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
}

export const NO_USAGE: LlmUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };

export function addUsage(a: LlmUsage, b: LlmUsage): LlmUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}

/** A JSON schema for structured output; strict mode, so every object lists all its properties as required. */
export interface JsonSchemaFormat {
  name: string;
  description?: string;
  schema: Record<string, unknown>;
}

export interface StructuredRequest<T> {
  feature: LlmFeature;
  model: string;
  messages: LlmMessage[];
  format: JsonSchemaFormat;
  /** Checks the parsed JSON and turns it into the feature's type; throws a string describing the problem. */
  parse: (value: unknown) => T;
}

export interface StructuredResult<T> {
  value: T;
  /** The model that answered, as the server names it. */
  model: string;
  usage: LlmUsage;
}

type Failure = { retry: true; delayMs: number | null; kind: 'rate-limited' | 'unavailable' | 'timeout'; cause: string } | { retry: false; error: LlmError };

/**
 * The one way the product talks to an LLM: an OpenAI-compatible chat completions endpoint with
 * structured output (json_schema, strict), a time limit per request, bounded retries with backoff on
 * 429, 5xx, timeouts and connection errors (Retry-After honoured), and the token usage of each answer.
 * Without OPENAI_API_KEY every call fails with LLM_NOT_CONFIGURED.
 */
@Injectable()
export class LlmClient {
  private readonly client: OpenAI | null;

  constructor(
    private readonly env: Env,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(LlmClient.name);
    this.client = env.OPENAI_API_KEY
      ? new OpenAI({
          apiKey: env.OPENAI_API_KEY,
          // Everything explicit: the SDK would otherwise read its own environment variables.
          baseURL: env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1',
          adminAPIKey: null,
          organization: null,
          project: null,
          webhookSecret: null,
          logLevel: 'off',
          // A backstop only: each request carries its own deadline (see complete).
          timeout: env.LLM_TIMEOUT_MS + 5_000,
          // Retries are ours (below): bounded, logged, and honouring any Retry-After.
          maxRetries: 0,
        })
      : null;
  }

  get configured(): boolean {
    return this.client !== null;
  }

  /** Throws LLM_NOT_CONFIGURED for the feature when no LLM is configured. */
  assertConfigured(feature: LlmFeature): void {
    if (!this.client) throw llmNotConfigured(feature);
  }

  async complete<T>(request: StructuredRequest<T>): Promise<StructuredResult<T>> {
    if (!this.client) throw llmNotConfigured(request.feature);
    const attempts = this.env.LLM_MAX_RETRIES + 1;
    let last: Extract<Failure, { retry: true }> | null = null;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      let response: OpenAI.Chat.Completions.ChatCompletion;
      // Our own deadline: it tells a timeout from any other dropped connection, whatever fetch reports.
      const deadline = AbortSignal.timeout(this.env.LLM_TIMEOUT_MS);
      try {
        response = await this.client.chat.completions.create(
          {
            model: request.model,
            messages: request.messages,
            response_format: {
              type: 'json_schema',
              json_schema: { name: request.format.name, description: request.format.description, schema: request.format.schema, strict: true },
            },
          },
          { signal: deadline },
        );
      } catch (error) {
        const failure = deadline.aborted
          ? ({ retry: true, kind: 'timeout', delayMs: null, cause: `no answer within ${this.env.LLM_TIMEOUT_MS} ms` } as const)
          : this.classify(error, request);
        if (!failure.retry) throw failure.error;
        last = failure;
        if (attempt === attempts) break;
        const delayMs = this.delayBefore(attempt + 1, failure.delayMs);
        this.logger.warn(
          { feature: request.feature, model: request.model, attempt, kind: failure.kind, delayMs, cause: failure.cause },
          'llm request failed; retrying',
        );
        await sleep(delayMs);
        continue;
      }
      return this.read(response, request);
    }
    throw this.exhausted(last!, request.feature, attempts);
  }

  private read<T>(response: OpenAI.Chat.Completions.ChatCompletion, request: StructuredRequest<T>): StructuredResult<T> {
    const model = response.model || request.model;
    const usage: LlmUsage = {
      promptTokens: response.usage?.prompt_tokens ?? 0,
      completionTokens: response.usage?.completion_tokens ?? 0,
      totalTokens: response.usage?.total_tokens ?? 0,
    };
    this.logger.info({ feature: request.feature, model, ...usage }, 'llm answered');
    const choice = response.choices?.[0];
    if (!choice) throw llmMalformedResponse(request.feature, model, 'the answer has no choices');
    if (choice.message.refusal) throw llmRefused(request.feature, model, clip(choice.message.refusal));
    if (choice.finish_reason === 'length') throw llmResponseTruncated(request.feature, model);
    const content = choice.message.content;
    if (!content?.trim()) throw llmMalformedResponse(request.feature, model, 'the answer is empty');
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      throw llmMalformedResponse(request.feature, model, `the answer is not JSON (starts with ${JSON.stringify(content.slice(0, 60))})`);
    }
    try {
      return { value: request.parse(parsed), model, usage };
    } catch (error) {
      throw llmMalformedResponse(request.feature, model, error instanceof Error ? error.message : String(error));
    }
  }

  private classify(error: unknown, request: StructuredRequest<unknown>): Failure {
    if (error instanceof OpenAI.APIConnectionError) {
      return { retry: true, kind: 'unavailable', delayMs: null, cause: `connection failed: ${clip(error.cause instanceof Error ? error.cause.message : error.message)}` };
    }
    if (error instanceof OpenAI.APIError && typeof error.status === 'number') {
      const status = error.status;
      const message = providerMessage(error);
      if (status === 429) return { retry: true, kind: 'rate-limited', delayMs: retryAfterMs(error.headers), cause: `HTTP 429: ${message}` };
      if (status >= 500 || status === 408 || status === 409) {
        return { retry: true, kind: 'unavailable', delayMs: retryAfterMs(error.headers), cause: `HTTP ${status}: ${message}` };
      }
      if (status === 401 || status === 403) return { retry: false, error: llmAuthFailed(request.feature, status, message) };
      return { retry: false, error: llmRequestRejected(request.feature, request.model, status, message) };
    }
    // Not an HTTP outcome (a bug, an SDK error): not worth repeating.
    return { retry: false, error: llmRequestRejected(request.feature, request.model, 0, clip(error instanceof Error ? error.message : String(error))) };
  }

  private exhausted(last: Extract<Failure, { retry: true }>, feature: LlmFeature, attempts: number): LlmError {
    if (last.kind === 'rate-limited') return llmRateLimited(feature, attempts);
    if (last.kind === 'timeout') return llmTimeout(feature, attempts, this.env.LLM_TIMEOUT_MS);
    return llmUnavailable(feature, attempts, last.cause);
  }

  /** Retry-After when the server gave one, else exponential backoff with jitter; both capped. */
  private delayBefore(attempt: number, retryAfter: number | null): number {
    const cap = this.env.LLM_RETRY_MAX_DELAY_MS;
    if (retryAfter !== null) return Math.min(retryAfter, cap);
    const base = this.env.LLM_RETRY_BASE_DELAY_MS * 2 ** (attempt - 2);
    return Math.min(Math.round(base * (0.8 + Math.random() * 0.4)), cap);
  }
}

/** Milliseconds from `retry-after-ms`, or `retry-after` in seconds or as an HTTP date; null when absent or unreadable. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | null {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after')?.trim();
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function providerMessage(error: InstanceType<typeof OpenAI.APIError>): string {
  const body: unknown = error.error;
  const message = typeof body === 'object' && body !== null && 'message' in body ? body.message : undefined;
  return clip(typeof message === 'string' ? message : error.message);
}

// Provider messages end up in stored errors and logs: keep them short.
function clip(text: string, max = 300): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max)}…` : oneLine;
}
