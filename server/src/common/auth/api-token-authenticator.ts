import { Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { parseApiTokens } from '../../config/api-tokens.js';
import { Env } from '../../config/env.js';
import { CommonErrorCode, DomainError, ErrorKind } from '../errors/domain-error.js';
import { ANONYMOUS, Principal } from './principal.js';

const digest = (token: string) => createHash('sha256').update(token).digest();

/** Resolves the bearer token of a request (HTTP header or graphql-ws connection params) to a principal. */
@Injectable()
export class ApiTokenAuthenticator {
  private readonly tokens: { name: string; digest: Buffer }[];

  constructor(env: Env) {
    this.tokens = env.API_TOKENS
      ? parseApiTokens(env.API_TOKENS).tokens.map((t) => ({ name: t.name, digest: digest(t.token) }))
      : [];
  }

  get required(): boolean {
    return this.tokens.length > 0;
  }

  /** Accepts `Bearer <token>`; throws UNAUTHENTICATED when tokens are required and this one is missing or unknown. */
  authenticate(authorization: string | undefined): Principal {
    if (!this.required) return ANONYMOUS;
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!token) {
      throw new DomainError(
        ErrorKind.Unauthenticated,
        CommonErrorCode.MissingToken,
        'Authorization: Bearer <token> is required (API_TOKENS is configured)',
      );
    }
    const candidate = digest(token);
    // Compare against every token in constant time so timing reveals nothing.
    let match: string | undefined;
    for (const known of this.tokens) if (timingSafeEqual(known.digest, candidate)) match ??= known.name;
    if (!match) throw new DomainError(ErrorKind.Unauthenticated, CommonErrorCode.InvalidToken, 'The bearer token is not valid');
    return { kind: 'operator', name: match };
  }
}
