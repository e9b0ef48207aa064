import type { GraphQLFormattedError } from 'graphql';
import type { PinoLogger } from 'nestjs-pino';

// Codes produced by graphql-js and Apollo themselves for bad requests; their messages are safe to show.
const CLIENT_ERROR_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * Last stop before an error reaches a GraphQL client. Domain errors arrive already shaped by
 * AllExceptionsFilter; anything else that is not a client mistake is logged and masked.
 */
export function graphqlErrorFormatter(logger: PinoLogger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    // Shaped (and, when unexpected, already logged and masked) by AllExceptionsFilter.
    if ('reason' in extensions) return { ...formatted, extensions };
    if (typeof code === 'string' && CLIENT_ERROR_CODES.has(code)) return { ...formatted, extensions };
    logger.error({ err: error }, 'unexpected GraphQL error');
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
