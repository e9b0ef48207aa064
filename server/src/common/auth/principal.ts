/** Who is calling: an operator holding an API token, or anybody when no tokens are configured. */
export type Principal = { kind: 'operator'; name: string } | { kind: 'anonymous' };

export const ANONYMOUS: Principal = { kind: 'anonymous' };

/** The name recorded as `createdBy` / `by` for what this principal does. */
export function actorName(principal: Principal, fallback = 'anonymous'): string {
  return principal.kind === 'operator' ? principal.name : fallback;
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}
