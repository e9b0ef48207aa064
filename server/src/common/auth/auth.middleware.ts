import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { describeError, sendError } from '../errors/error-mapper.js';
import { ApiTokenAuthenticator } from './api-token-authenticator.js';

// Probes must answer without credentials; the web app's static files carry no data.
const PUBLIC_API_PATHS = new Set(['/api/health', '/api/ready']);

const needsAuth = (path: string) =>
  path === '/graphql' || (path.startsWith('/api/') && !PUBLIC_API_PATHS.has(path));

/** Authenticates every GraphQL and REST call before it reaches Apollo or a controller. */
@Injectable()
export class AuthMiddleware implements NestMiddleware {
  constructor(private readonly authenticator: ApiTokenAuthenticator) {}

  use(req: Request, res: Response, next: NextFunction) {
    if (!needsAuth(req.path)) return next();
    try {
      req.principal = this.authenticator.authenticate(req.headers.authorization);
      return next();
    } catch (error) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return sendError(req, res, describeError(error));
    }
  }
}
