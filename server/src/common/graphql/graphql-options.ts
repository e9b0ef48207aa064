import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { Context } from 'graphql-ws';
import type { PinoLogger } from 'nestjs-pino';
import { type Authenticator, tokenOf } from '../auth/authenticator.js';
import { graphqlErrorFormatter } from './format-graphql-error.js';
import { createGraphqlContext, type WsExtra } from './graphql-context.js';

/** The token of a graphql-ws connection: `{ authorization: 'Bearer …' }` or `{ token: '…' }` in connectionParams. */
function connectionToken(params: Record<string, unknown> | undefined): string | null {
  if (typeof params?.authorization === 'string') return tokenOf(params.authorization);
  if (typeof params?.Authorization === 'string') return tokenOf(params.Authorization);
  return typeof params?.token === 'string' ? params.token : null;
}

/** Apollo options: the schema from the code-first types, HTTP and graphql-ws on /graphql, one error shape. */
export function graphqlOptions(logger: PinoLogger, authenticator: Authenticator): Omit<ApolloDriverConfig, 'driver'> {
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
      },
    },
    // Field resolvers get the exception filter too, so every resolver error has the same shape.
    fieldResolverEnhancers: ['filters'],
    includeStacktraceInErrorResponses: false,
    introspection: true,
    graphiql: false,
    formatError: graphqlErrorFormatter(logger),
  };
}
