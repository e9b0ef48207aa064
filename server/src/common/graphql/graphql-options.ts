import type { ApolloServerPlugin } from '@apollo/server';
import type { ApolloDriverConfig } from '@nestjs/apollo';
import { type DocumentNode, GraphQLError, type GraphQLSchema, parse, validate } from 'graphql';
import type { Context } from 'graphql-ws';
import type { PinoLogger } from 'nestjs-pino';
import { type Authenticator, tokenOf } from '../auth/authenticator.js';
import { graphqlErrorFormatter } from './format-graphql-error.js';
import { createGraphqlContext, type WsExtra } from './graphql-context.js';
import { type QueryLimits, queryLimitErrors } from './query-limits.js';

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

/** Apollo options: the schema from the code-first types, HTTP and graphql-ws on /graphql, one error shape, query limits. */
export function graphqlOptions(logger: PinoLogger, authenticator: Authenticator, limits: QueryLimits): Omit<ApolloDriverConfig, 'driver'> {
  let schema: GraphQLSchema | undefined;
  return {
    path: '/graphql',
    autoSchemaFile: true,
    sortSchema: true,
    context: createGraphqlContext,
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        // Subscriptions honour the same tokens as queries; a refused connection closes with 4403.
        onConnect: async (context: Context<Record<string, unknown> | undefined, unknown>) => {
          try {
            (context.extra as WsExtra).principal = await authenticator.authenticate(connectionToken(context.connectionParams));
            return true;
          } catch {
            return false;
          }
        },
        // Subscriptions get the same limits. Returning nothing lets graphql-ws parse, validate and run the operation.
        onSubscribe: (_context, _id, payload) => {
          if (!schema) return;
          let document: DocumentNode;
          try {
            document = parse(payload.query);
          } catch {
            return;
          }
          const invalid = validate(schema, document);
          if (invalid.length > 0) return invalid;
          const refused = queryLimitErrors(schema, document, payload.operationName, payload.variables, limits);
          return refused.length > 0 ? refused : undefined;
        },
      },
    },
    // The schema as served, for the subscription checks above.
    transformSchema: (built: GraphQLSchema) => (schema = built),
    // Field resolvers get the exception filter too, so every resolver error has the same shape.
    fieldResolverEnhancers: ['filters'],
    includeStacktraceInErrorResponses: false,
    introspection: true,
    graphiql: false,
    formatError: graphqlErrorFormatter(logger),
    plugins: [queryLimitsPlugin(limits)],
  };
}
