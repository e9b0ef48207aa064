/**
 * Who is calling: an operator holding an API token, a run's worker holding that run's token,
 * or anybody when no API tokens are configured.
 */
export type Principal = { kind: 'operator'; name: string } | { kind: 'run'; runId: string } | { kind: 'anonymous' };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

/** The name recorded as `createdBy` / `by` for what this principal does. */
export function actorName(principal: Principal, fallback = 'anonymous'): string {
  switch (principal.kind) {
    case 'operator':
      return principal.name;
    case 'run':
      return `run:${principal.runId}`;
    case 'anonymous':
      return fallback;
  }
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}
