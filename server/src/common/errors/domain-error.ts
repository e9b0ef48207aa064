/**
 * The category of a failure, which decides the GraphQL `extensions.code` and the HTTP status.
 * Modules throw DomainError with one of these and a module-specific reason code.
 */
export enum ErrorKind {
  BadUserInput = 'BAD_USER_INPUT',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  TooManyRequests = 'TOO_MANY_REQUESTS',
  Unavailable = 'SERVICE_UNAVAILABLE',
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    /** Module-specific reason, e.g. RUN_NOT_FOUND; stable for clients to branch on. */
    readonly reason: string,
    message: string,
    /** Extra machine-readable fields (never secrets): the field, the rule, the states involved. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export enum CommonErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  InvalidCursor = 'INVALID_CURSOR',
  MissingToken = 'MISSING_TOKEN',
  InvalidToken = 'INVALID_TOKEN',
  RouteNotFound = 'ROUTE_NOT_FOUND',
  MalformedRequest = 'MALFORMED_REQUEST',
  QueryTooDeep = 'QUERY_TOO_DEEP',
  QueryTooComplex = 'QUERY_TOO_COMPLEX',
  RateLimited = 'RATE_LIMITED',
}

export interface FieldViolation {
  field: string;
  rule: string;
  message: string;
}

export function validationFailed(violations: FieldViolation[]): DomainError {
  const summary = violations.map((v) => `${v.field}: ${v.message}`).join('; ');
  return new DomainError(ErrorKind.BadUserInput, CommonErrorCode.ValidationFailed, summary || 'invalid input', {
    fields: violations,
  });
}
