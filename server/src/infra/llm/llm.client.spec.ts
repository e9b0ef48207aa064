import type { PinoLogger } from 'nestjs-pino';
import { FakeOpenAi } from '../../../test/support/fake-openai.js';
import { strictMock } from '../../../test/support/strict-mock.js';
import { loadEnv } from '../../config/env.js';
import { LlmClient, retryAfterMs, type StructuredRequest } from './llm.client.js';
import { LlmError, LlmErrorCode } from './llm.errors.js';

const logger = strictMock<PinoLogger>({ setContext: () => undefined, info: () => undefined, warn: () => undefined }, 'logger');

const request: StructuredRequest<{ answer: number }> = {
  feature: 'paper analysis',
  model: 'test-model',
  messages: [
    { role: 'system', content: 'You answer with numbers.' },
    { role: 'user', content: 'What is six times seven?' },
  ],
  format: {
    name: 'answer',
    schema: { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'], additionalProperties: false },
  },
  parse: (value) => {
    const answer = (value as { answer?: unknown }).answer;
    if (typeof answer !== 'number') throw new Error('answer must be a number');
    return { answer };
  },
};

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof LlmError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('LlmClient', () => {
  let fake: FakeOpenAi;
  const client = (vars: Record<string, string> = {}) =>
    new LlmClient(loadEnv({ ...fake.env, LLM_RETRY_BASE_DELAY_MS: '20', LLM_MAX_RETRIES: '2', ...vars }), logger);

  beforeAll(async () => {
    fake = await FakeOpenAi.start();
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  describe('complete', () => {
    it('sends a strict json_schema request and returns the parsed answer with its token usage', async () => {
      fake.enqueue({ json: { answer: 42 }, usage: { prompt: 30, completion: 5 }, model: 'test-model-2026' });
      const result = await client().complete(request);
      expect(result).toEqual({ value: { answer: 42 }, model: 'test-model-2026', usage: { promptTokens: 30, completionTokens: 5, totalTokens: 35 } });
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0].authorization).toBe(`Bearer ${fake.apiKey}`);
      expect(fake.requests[0].body.response_format).toEqual({
        type: 'json_schema',
        json_schema: { name: 'answer', schema: request.format.schema, strict: true },
      });
      expect(fake.requests[0].messages.at(-1)?.content).toBe('What is six times seven?');
    });

    it('fails with LLM_NOT_CONFIGURED, without any request, when no key is configured', async () => {
      const unconfigured = new LlmClient(loadEnv({}), logger);
      expect(unconfigured.configured).toBe(false);
      const error = await failure(unconfigured.complete(request));
      expect(error).toMatchObject({ reason: LlmErrorCode.NotConfigured, kind: 'SERVICE_UNAVAILABLE', retryable: false });
      expect(error.message).toMatch(/Paper analysis needs an LLM and none is configured: set OPENAI_API_KEY/);
      expect(fake.requests).toHaveLength(0);
    });

    it('retries a 429 after the Retry-After the server asked for', async () => {
      fake.enqueue({ status: 429, message: 'Rate limit reached', retryAfter: 1 }, { json: { answer: 7 } });
      const started = Date.now();
      const result = await client().complete(request);
      expect(result.value).toEqual({ answer: 7 });
      expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    });

    it('retries 5xx with backoff and gives up after LLM_MAX_RETRIES with LLM_UNAVAILABLE', async () => {
      fake.enqueue({ status: 500 }, { status: 502 }, { status: 503, message: 'overloaded' }, { json: { answer: 1 } });
      const error = await failure(client().complete(request));
      expect(error).toMatchObject({ reason: LlmErrorCode.Unavailable, retryable: true });
      expect(error.message).toMatch(/failed the paper analysis request on all 3 attempts: HTTP 503: overloaded/);
      expect(fake.requests).toHaveLength(3);
    });

    it('reports a persistent 429 as LLM_RATE_LIMITED', async () => {
      fake.enqueue({ status: 429, retryAfter: 0 }, { status: 429, retryAfter: 0 }, { status: 429, retryAfter: 0 });
      const error = await failure(client().complete(request));
      expect(error).toMatchObject({ reason: LlmErrorCode.RateLimited, kind: 'TOO_MANY_REQUESTS', retryable: true });
    });

    it('does not retry a rejected request or bad credentials', async () => {
      fake.enqueue({ status: 400, message: 'Invalid schema for response_format', type: 'invalid_request_error' });
      const rejected = await failure(client().complete(request));
      expect(rejected).toMatchObject({ reason: LlmErrorCode.RequestRejected, retryable: false });
      expect(rejected.message).toMatch(/HTTP 400\): Invalid schema for response_format/);

      const wrongKey = await failure(client({ OPENAI_API_KEY: 'sk-wrong' }).complete(request));
      expect(wrongKey).toMatchObject({ reason: LlmErrorCode.AuthFailed, retryable: false });
      expect(wrongKey.message).not.toContain('sk-wrong');
      expect(fake.requests).toHaveLength(2);
    });

    it('times out a slow answer and retries it', async () => {
      fake.enqueue({ delayMs: 3000, then: { json: { answer: 1 } } }, { json: { answer: 2 } });
      const result = await client({ LLM_TIMEOUT_MS: '1000' }).complete(request);
      expect(result.value).toEqual({ answer: 2 });
      expect(fake.requests).toHaveLength(2);

      fake.reset();
      fake.enqueue({ delayMs: 3000, then: { json: { answer: 1 } } });
      const error = await failure(client({ LLM_TIMEOUT_MS: '1000', LLM_MAX_RETRIES: '0' }).complete(request));
      expect(error).toMatchObject({ reason: LlmErrorCode.Timeout, retryable: true });
    });

    it('retries a dropped connection', async () => {
      fake.enqueue({ hangUp: true }, { json: { answer: 3 } });
      expect((await client().complete(request)).value).toEqual({ answer: 3 });
    });

    it('reports malformed content, refusals and truncated answers plainly, without retrying them', async () => {
      fake.enqueue({ content: 'Sure! The answer is 42.' });
      const notJson = await failure(client().complete(request));
      expect(notJson).toMatchObject({ reason: LlmErrorCode.MalformedResponse, retryable: true });
      expect(notJson.message).toMatch(/answer of model test-model is malformed: the answer is not JSON \(starts with "Sure! The answer is 42."\)/);

      fake.enqueue({ json: { answer: 'forty-two' } });
      expect((await failure(client().complete(request))).message).toMatch(/malformed: answer must be a number/);

      fake.enqueue({ refusal: 'I cannot help with that.' });
      expect(await failure(client().complete(request))).toMatchObject({ reason: LlmErrorCode.Refused, retryable: false });

      fake.enqueue({ content: '{"answer": 4', finishReason: 'length' });
      expect(await failure(client().complete(request))).toMatchObject({ reason: LlmErrorCode.ResponseTruncated });
      expect(fake.requests).toHaveLength(4);
    });
  });

  describe('retryAfterMs', () => {
    it('reads retry-after-ms, seconds and HTTP dates', () => {
      expect(retryAfterMs(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
      expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
      const now = Date.parse('2026-01-01T00:00:00Z');
      expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5000);
      expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeNull();
      expect(retryAfterMs(new Headers())).toBeNull();
    });
  });
});
