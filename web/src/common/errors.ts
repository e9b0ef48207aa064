import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';

/** What a person should read about a failed call: the server's own message when it sent one. */
export function errorMessage(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) return error.errors.map((e) => e.message).join('; ');
  if (ServerError.is(error)) {
    try {
      const body = JSON.parse(error.bodyText) as { errors?: { message: string }[]; detail?: string };
      const message = body.errors?.map((e) => e.message).join('; ') ?? body.detail;
      if (message) return `${message} (HTTP ${error.statusCode})`;
    } catch {
      // not JSON: fall through to the status line
    }
    return `The server answered HTTP ${error.statusCode}`;
  }
  if (error instanceof TypeError && /fetch/i.test(error.message)) return 'The server cannot be reached';
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The GraphQL error code (NOT_FOUND, BAD_USER_INPUT...) of a failed call, when there is one. */
export function errorCode(error: unknown): string | undefined {
  if (CombinedGraphQLErrors.is(error)) return error.errors[0]?.extensions?.code as string | undefined;
  return undefined;
}
