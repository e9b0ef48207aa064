import { HttpException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, ErrorKind } from './domain-error.js';
import { infrastructureFault } from './infrastructure-fault.js';

/** What every client sees of an error, whatever the transport. */
export interface ErrorDescription {
  status: number;
  code: ErrorKind | 'INTERNAL_SERVER_ERROR';
  reason: string;
  message: string;
  /** Machine-readable fields; a numeric `retryAfterS` also becomes the Retry-After header. */
  details: Record<string, unknown>;
  /** True when the error must be logged: it was not anticipated, or something the server depends on failed. */
  unexpected: boolean;
}

export function statusOf(kind: ErrorKind): number {
  switch (kind) {
    case ErrorKind.BadUserInput:
      return HttpStatus.BAD_REQUEST;
    case ErrorKind.Unauthenticated:
      return HttpStatus.UNAUTHORIZED;
    case ErrorKind.Forbidden:
      return HttpStatus.FORBIDDEN;
    case ErrorKind.NotFound:
      return HttpStatus.NOT_FOUND;
    case ErrorKind.Conflict:
      return HttpStatus.CONFLICT;
    case ErrorKind.PayloadTooLarge:
      return HttpStatus.PAYLOAD_TOO_LARGE;
    case ErrorKind.TooManyRequests:
      return HttpStatus.TOO_MANY_REQUESTS;
    case ErrorKind.Unavailable:
      return HttpStatus.SERVICE_UNAVAILABLE;
    default: {
      const unreachable: never = kind;
      throw new Error(`unmapped error kind ${String(unreachable)}`);
    }
  }
}

function kindOfStatus(status: number): ErrorKind | undefined {
  return Object.values(ErrorKind).find((kind) => statusOf(kind) === status);
}

/** The one mapper from thrown values to the error clients see (GraphQL and REST). */
export function describeError(error: unknown): ErrorDescription {
  if (error instanceof DomainError) {
    return {
      status: statusOf(error.kind),
      code: error.kind,
      reason: error.reason,
      message: error.message,
      details: error.details,
      unexpected: false,
    };
  }
  if (error instanceof HttpException) {
    // Raised by the framework itself (unknown route, body parser limits).
    const status = error.getStatus();
    const kind = kindOfStatus(status);
    if (kind) return { status, code: kind, reason: kind, message: error.message, details: {}, unexpected: false };
  }
  const fault = infrastructureFault(error);
  if (fault) {
    const { reason, message, retryAfterS } = fault;
    return { status: HttpStatus.SERVICE_UNAVAILABLE, code: ErrorKind.Unavailable, reason, message, details: { retryAfterS }, unexpected: true };
  }
  if (isBodyParserError(error)) {
    const kind = error.status === 413 ? ErrorKind.PayloadTooLarge : ErrorKind.BadUserInput;
    return { status: error.status, code: kind, reason: kind, message: error.message, details: {}, unexpected: false };
  }
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    code: 'INTERNAL_SERVER_ERROR',
    reason: 'INTERNAL_SERVER_ERROR',
    message: 'Internal server error',
    details: {},
    unexpected: true,
  };
}

function isBodyParserError(error: unknown): error is { status: number; message: string } {
  const candidate = error as { type?: unknown; status?: unknown } | null;
  return (
    typeof candidate?.type === 'string' &&
    candidate.type.startsWith('entity.') &&
    typeof candidate.status === 'number' &&
    candidate.status >= 400 &&
    candidate.status < 500
  );
}

/** RFC 9457 problem details for REST responses. */
export function toProblem(description: ErrorDescription, instance?: string): Record<string, unknown> {
  return {
    type: `urn:orchestrator:error:${description.reason.toLowerCase().replace(/_/g, '-')}`,
    title: description.code
      .split('_')
      .map((word) => word[0] + word.slice(1).toLowerCase())
      .join(' '),
    status: description.status,
    detail: description.message,
    code: description.code,
    reason: description.reason,
    ...(instance ? { instance } : {}),
    ...description.details,
  };
}

/**
 * Writes an error response for a plain HTTP request: a GraphQL-shaped body on /graphql (what
 * GraphQL clients parse), problem+json everywhere else.
 */
export function sendError(request: Request, response: Response, description: ErrorDescription): void {
  response.status(description.status);
  const retryAfterS = description.details.retryAfterS;
  if (typeof retryAfterS === 'number' && Number.isFinite(retryAfterS)) response.setHeader('Retry-After', String(Math.max(1, Math.ceil(retryAfterS))));
  if (request.path === '/graphql') {
    const extensions = { code: description.code, reason: description.reason, ...description.details };
    response.json({ errors: [{ message: description.message, extensions }] });
    return;
  }
  response.type('application/problem+json').send(JSON.stringify(toProblem(description, request.path)));
}
