import { DomainError, ErrorKind } from '../../common/errors/domain-error.js';

export enum LlmErrorCode {
  NotConfigured = 'LLM_NOT_CONFIGURED',
  AuthFailed = 'LLM_AUTH_FAILED',
  RequestRejected = 'LLM_REQUEST_REJECTED',
  RateLimited = 'LLM_RATE_LIMITED',
  Unavailable = 'LLM_UNAVAILABLE',
  Timeout = 'LLM_TIMEOUT',
  MalformedResponse = 'LLM_MALFORMED_RESPONSE',
  Refused = 'LLM_REFUSED',
  ResponseTruncated = 'LLM_RESPONSE_TRUNCATED',
}

/** What an LLM feature is called in messages. */
export type LlmFeature = 'paper analysis' | 'ideation' | 'ChatGPT extraction';

/** A failed LLM call. `retryable`: whether running the whole job again may succeed. */
export class LlmError extends DomainError {
  constructor(
    kind: ErrorKind,
    reason: LlmErrorCode,
    message: string,
    readonly retryable: boolean,
    details: Record<string, unknown> = {},
  ) {
    super(kind, reason, message, details);
    this.name = 'LlmError';
  }
}

export const llmNotConfigured = (feature: LlmFeature) =>
  new LlmError(
    ErrorKind.Unavailable,
    LlmErrorCode.NotConfigured,
    `${capitalize(feature)} needs an LLM and none is configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for an OpenAI-compatible server)`,
    false,
    { feature },
  );

export const llmAuthFailed = (feature: LlmFeature, status: number, providerMessage: string) =>
  new LlmError(
    ErrorKind.Unavailable,
    LlmErrorCode.AuthFailed,
    `The LLM server refused the credentials (HTTP ${status}) during ${feature}: ${providerMessage}`,
    false,
    { feature, status },
  );

export const llmRequestRejected = (feature: LlmFeature, model: string, status: number, providerMessage: string) =>
  new LlmError(
    ErrorKind.Unavailable,
    LlmErrorCode.RequestRejected,
    `The LLM server rejected the ${feature} request for model ${model} (HTTP ${status}): ${providerMessage}`,
    false,
    { feature, model, status },
  );

export const llmRateLimited = (feature: LlmFeature, attempts: number) =>
  new LlmError(
    ErrorKind.TooManyRequests,
    LlmErrorCode.RateLimited,
    `The LLM server is rate limiting ${feature} requests (HTTP 429 on all ${attempts} attempts)`,
    true,
    { feature, attempts },
  );

export const llmUnavailable = (feature: LlmFeature, attempts: number, cause: string) =>
  new LlmError(
    ErrorKind.Unavailable,
    LlmErrorCode.Unavailable,
    `The LLM server failed the ${feature} request on all ${attempts} attempts: ${cause}`,
    true,
    { feature, attempts },
  );

export const llmTimeout = (feature: LlmFeature, attempts: number, timeoutMs: number) =>
  new LlmError(
    ErrorKind.Unavailable,
    LlmErrorCode.Timeout,
    `The LLM server did not answer the ${feature} request within ${timeoutMs} ms (${attempts} attempts)`,
    true,
    { feature, attempts, timeoutMs },
  );

export const llmMalformedResponse = (feature: LlmFeature, model: string, problem: string) =>
  new LlmError(
    ErrorKind.Unavailable,
    LlmErrorCode.MalformedResponse,
    `The ${feature} answer of model ${model} is malformed: ${problem}`,
    true,
    { feature, model },
  );

export const llmRefused = (feature: LlmFeature, model: string, refusal: string) =>
  new LlmError(ErrorKind.Unavailable, LlmErrorCode.Refused, `Model ${model} refused the ${feature} request: ${refusal}`, false, {
    feature,
    model,
  });

export const llmResponseTruncated = (feature: LlmFeature, model: string) =>
  new LlmError(
    ErrorKind.Unavailable,
    LlmErrorCode.ResponseTruncated,
    `The ${feature} answer of model ${model} was cut off at its output token limit`,
    false,
    { feature, model },
  );

function capitalize(text: string): string {
  return text[0].toUpperCase() + text.slice(1);
}
