import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { GqlContextType } from '@nestjs/graphql';
import type { Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { PinoLogger } from 'nestjs-pino';
import { describeError, sendError } from './error-mapper.js';

/** Turns every error raised in a resolver or controller into the one shape clients see. */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    logger.setContext(AllExceptionsFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost) {
    const description = describeError(exception);
    if (description.unexpected) this.logger.error({ err: exception }, 'unexpected error');

    if (host.getType<GqlContextType>() === 'graphql') {
      // Returning (not throwing) an Error makes graphql-js report it on the field.
      return new GraphQLError(description.message, {
        extensions: { code: description.code, reason: description.reason, ...description.details },
      });
    }
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    if (!response.headersSent) sendError(request, response, description);
  }
}
