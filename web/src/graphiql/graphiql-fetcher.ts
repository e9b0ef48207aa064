import { Kind, OperationTypeNode, parse } from 'graphql';
import type { Client, FormattedExecutionResult as ExecutionResult } from 'graphql-ws';
import { readToken } from '../app/auth';

export interface FetcherParams {
  query: string;
  operationName?: string | null;
  variables?: Record<string, unknown> | null;
}

/** Whether the operation GraphiQL runs (by name, or the only one) is a subscription. */
export function isSubscription(params: FetcherParams): boolean {
  try {
    const operations = parse(params.query).definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
    const operation = params.operationName ? operations.find((o) => o.name?.value === params.operationName) : operations[0];
    return operation?.operation === OperationTypeNode.SUBSCRIPTION;
  } catch {
    // Not parseable: let the server say why.
    return false;
  }
}

/**
 * GraphiQL's fetcher: queries and mutations over HTTP POST, subscriptions over graphql-ws (as an
 * async iterable GraphiQL streams into its result pane). The saved API token is sent unless the
 * headers editor sets an Authorization header itself.
 */
export function createFetcher(ws: Client) {
  return (params: FetcherParams, options?: { headers?: Record<string, unknown> }): Promise<ExecutionResult> | AsyncIterableIterator<ExecutionResult> => {
    if (isSubscription(params)) {
      return ws.iterate({
        query: params.query,
        operationName: params.operationName ?? undefined,
        variables: params.variables,
      });
    }
    const token = readToken();
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    for (const [key, value] of Object.entries(options?.headers ?? {})) headers[key.toLowerCase()] = String(value);
    return fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(params) }).then(async (response) => {
      const text = await response.text();
      try {
        return JSON.parse(text) as ExecutionResult;
      } catch {
        const failed: ExecutionResult = { errors: [{ message: `HTTP ${response.status}: ${text.slice(0, 500)}` }] };
        return failed;
      }
    });
  };
}
