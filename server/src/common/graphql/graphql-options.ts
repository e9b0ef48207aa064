import type { ApolloServerPlugin } from '@apollo/server';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { type DocumentNode, GraphQLError, type GraphQLSchema, parse, validate } from 'graphql';
import type { PinoLogger } from 'nestjs-pino';
import { type Authenticator, tokenOf } from '../auth/authenticator.js';
import { graphqlErrorFormatter } from './format-graphql-error.js';
import { createGraphqlContext, type WsExtra } from './graphql-context.js';
import type { GraphqlWsOptions } from './graphql-ws.gateway.js';
import { sharedSubscribe } from './shared-execution.js';
import { MAX_QUERY_TOKENS, type QueryLimits, queryLimitErrors } from './query-limits.js';

/** The token of a graphql-ws connection: `{ authorization: 'Bearer …' }` or `{ token: '…' }` in connectionParams. */
function connectionToken(params: Record<string, unknown> | undefined): string | null {
  if (typeof params?.authorization === 'string') return tokenOf(params.authorization);
  if (typeof params?.Authorization === 'string') return tokenOf(params.Authorization);
  return typeof params?.token === 'string' ? params.token : null;
}

/** Refuses, before execution, operations deeper or costlier than the limits: 400 BAD_USER_INPUT naming the limit. */
function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    requestDidStart: async () => ({
      didResolveOperation: async ({ schema, document, operationName, request }) => {
        const [error] = queryLimitErrors(schema, document, operationName ?? request.operationName, request.variables, limits);
        // `http` is read (and removed) by Apollo.
        if (error) throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
      },
    }),
  };
}

/** Apollo options: the schema from the code-first types, HTTP on /graphql, one error shape, query limits. */
export function graphqlOptions(logger: PinoLogger, limits: QueryLimits): Omit<ApolloDriverConfig, 'driver'> {
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    context: createGraphqlContext,
    // Field resolvers get the exception filter too, so every resolver error has the same shape.
    fieldResolverEnhancers: ['filters'],
    includeStacktraceInErrorResponses: false,
    introspection: true,
    graphiql: false,
    formatError: graphqlErrorFormatter(logger),
    plugins: [queryLimitsPlugin(limits)],
    parseOptions: { maxTokens: MAX_QUERY_TOKENS },
  };
}

/**
 * graphql-ws options for subscriptions on /graphql (served by GraphqlWsGateway): the same tokens and
 * limits as HTTP, and one execution per event for all subscribers of the same operation.
 */
export function graphqlWsOptions(authenticator: Authenticator, limits: QueryLimits, schema: GraphQLSchema): GraphqlWsOptions {
  return {
    schema,
    context: createGraphqlContext,
    subscribe: sharedSubscribe,
    // Subscriptions honour the same tokens as queries; a refused connection closes with 4403.
    onConnect: async (context) => {
      try {
        (context.extra as WsExtra).principal = await authenticator.authenticate(connectionToken(context.connectionParams));
        return true;
      } catch {
        return false;
      }
    },
    // Subscriptions get the same limits. Returning nothing lets graphql-ws parse, validate and run the operation.
    onSubscribe: (_context, _id, payload) => {
      let document: DocumentNode;
      try {
        document = parse(payload.query, { maxTokens: MAX_QUERY_TOKENS });
      } catch (error) {
        return error instanceof GraphQLError ? [error] : undefined;
      }
      const invalid = validate(schema, document);
      if (invalid.length > 0) return invalid;
      const refused = queryLimitErrors(schema, document, payload.operationName, payload.variables, limits);
      return refused.length > 0 ? refused : undefined;
    },
  };
}
