import type { ApolloDriverConfig } from '@nestjs/apollo';
import type { PinoLogger } from 'nestjs-pino';
import { graphqlErrorFormatter } from './format-graphql-error.js';
import { createGraphqlContext } from './graphql-context.js';

/** Apollo options shared by the app and the schema emitter. */
export function graphqlOptions(logger: PinoLogger): Omit<ApolloDriverConfig, 'driver'> {
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
  };
}
