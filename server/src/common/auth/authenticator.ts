import { Inject, Injectable, Optional } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { parseApiTokens } from '../../config/api-tokens.js';
import { Env } from '../../config/env.js';
import { CommonErrorCode, DomainError, ErrorKind } from '../errors/domain-error.js';
import { ANONYMOUS, type Principal } from './principal.js';

/** Resolves a run token to its run (implemented by the events module, which issues them). */
export interface RunTokenResolver {
  runOf(token: string): Promise<string | null>;
}

export const RUN_TOKEN_RESOLVER = Symbol('RUN_TOKEN_RESOLVER');

const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * The token of an Authorization header: `Bearer <token>`, or the user name of Basic auth (so a
 * worker whose orchestrator URL is http://<token>@host works unchanged).
 */
export function tokenOf(authorization: string | undefined): string | null {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (bearer) return bearer;
  const basic = /^Basic\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  if (!basic) return null;
  const user = Buffer.from(basic, 'base64').toString('utf8').split(':')[0];
  return user || null;
}

/** Turns the token a request or a graphql-ws connection presents into a principal. */
@Injectable()
export class Authenticator {
  private readonly operators: { name: string; digest: Buffer }[];

  constructor(
    env: Env,
    @Optional() @Inject(RUN_TOKEN_RESOLVER) private readonly runTokens: RunTokenResolver | null,
  ) {
    this.operators = env.API_TOKENS
      ? parseApiTokens(env.API_TOKENS).tokens.map((t) => ({ name: t.name, digest: digest(t.token) }))
      : [];
  }

  /** Whether every call needs a token (API_TOKENS is set). */
  get required(): boolean {
    return this.operators.length > 0;
  }

  /**
   * Operators' tokens work everywhere; run tokens only where `acceptRunTokens` (ingest, presign).
   * Throws UNAUTHENTICATED for a missing token when one is required, and for an unknown token.
   */
  async authenticate(token: string | null, { acceptRunTokens = false } = {}): Promise<Principal> {
    if (!token) {
      if (this.required) throw missingToken();
      return ANONYMOUS;
    }
    const operator = this.operator(token);
    if (operator) return { kind: 'operator', name: operator };
    if (acceptRunTokens) {
      const runId = await this.runTokens?.runOf(token);
      if (runId) return { kind: 'run', runId };
    }
    // Without API tokens the API is open: a stray header elsewhere is ignored, not refused.
    if (!this.required && !acceptRunTokens) return ANONYMOUS;
    throw new DomainError(ErrorKind.Unauthenticated, CommonErrorCode.InvalidToken, 'The bearer token is not valid');
  }

  private operator(token: string): string | null {
    const candidate = digest(token);
    // Compare against every token in constant time so timing reveals nothing.
    let match: string | null = null;
    for (const known of this.operators) if (timingSafeEqual(known.digest, candidate)) match ??= known.name;
    return match;
  }
}

function missingToken() {
  return new DomainError(
    ErrorKind.Unauthenticated,
    CommonErrorCode.MissingToken,
    'Authorization: Bearer <token> is required (API_TOKENS is configured)',
  );
}
