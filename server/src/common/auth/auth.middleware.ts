import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { describeError, sendError } from '../errors/error-mapper.js';
import { Authenticator, tokenOf } from './authenticator.js';

// Probes answer without credentials; signed storage URLs carry their own authorisation.
const PUBLIC_API = [/^\/api\/health$/, /^\/api\/ready$/, /^\/api\/storage\//];
// Where a run's worker may use its run token.
const RUN_TOKEN_ROUTES = [/^\/api\/ingest\//, /^\/api\/runs\/[^/]+\/artifacts\/presign$/];

const needsAuth = (path: string) => path === '/graphql' || (path.startsWith('/api/') && !PUBLIC_API.some((p) => p.test(path)));

/** Authenticates every GraphQL and REST call before it reaches Apollo or a controller. */
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  constructor(private readonly authenticator: Authenticator) {}

  use(req: Request, res: Response, next: NextFunction) {
    if (!needsAuth(req.path)) return next();
    const acceptRunTokens = RUN_TOKEN_ROUTES.some((route) => route.test(req.path));
    this.authenticator.authenticate(tokenOf(req.headers.authorization), { acceptRunTokens }).then(
      (principal) => {
        req.principal = principal;
        next();
      },
      (error: unknown) => {
        res.setHeader('WWW-Authenticate', 'Bearer');
        sendError(req, res, describeError(error));
      },
    );
  }
}
