import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Request } from 'express';
import type { GraphqlContext } from '../graphql/graphql-context.js';
import { ANONYMOUS, type Principal } from './principal.js';

/** The authenticated caller of a resolver or controller method. */
export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  if (context.getType<string>() === 'graphql') return GqlExecutionContext.create(context).getContext<GraphqlContext>().principal;
  return context.switchToHttp().getRequest<Request>().principal ?? ANONYMOUS;
});
