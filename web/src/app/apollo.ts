import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors, ServerError } from '@apollo/client/errors';
import { ErrorLink } from '@apollo/client/link/error';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { Kind, OperationTypeNode } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { markAuthRequired, onAuthChange, readToken } from './auth';
import { setConnectionState } from './connection';

const authorization = () => {
  const token = readToken();
  return token ? `Bearer ${token}` : null;
};

/** True when an error means "no valid API token" (HTTP 401 or a GraphQL UNAUTHENTICATED error). */
export function isAuthError(error: unknown): boolean {
  if (ServerError.is(error)) return error.statusCode === 401;
  if (CombinedGraphQLErrors.is(error)) return error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
  // graphql-ws: the server closes a connection it refuses with 4403.
  return error instanceof Error && /Socket closed with event 4403/.test(error.message);
}

/**
 * The graphql-ws client behind every subscription. It does not retry by itself: a dropped
 * connection fails the subscriptions, and each one resubscribes from the last position it saw
 * (see `keepSubscribed`), so a reconnect resumes instead of replaying from the first position.
 */
export function createWsClient({ url = wsUrl(), reportState = true }: { url?: string; reportState?: boolean } = {}): Client {
  return createClient({
    url,
    lazy: true,
    lazyCloseTimeout: 3_000,
    retryAttempts: 0,
    // Pings detect a connection that died silently (sleep, network change).
    keepAlive: 10_000,
    connectionParams: () => {
      const header = authorization();
      return header ? { authorization: header } : {};
    },
    on: reportState
      ? {
          connecting: () => setConnectionState('connecting'),
          connected: () => setConnectionState('connected'),
          closed: (event) => setConnectionState((event as CloseEvent | undefined)?.code === 1000 ? 'idle' : 'disconnected'),
        }
      : undefined,
  });
}

function wsUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/graphql`;
}

/** Object types without an id live inside their run: their fields are merged, not replaced. */
const embedded = { merge: true } as const;

export function createCache(): InMemoryCache {
  return new InMemoryCache({
    typePolicies: {
      Artifact: { keyFields: ['key'] },
      CurrentStage: embedded,
      RunPod: embedded,
      RunPaper: embedded,
      RunTelemetry: embedded,
      QueueJob: embedded,
      HypothesisIdeation: embedded,
    },
  });
}

/**
 * Queries and mutations over HTTP, subscriptions over graphql-ws on the same /graphql path; both
 * carry the API token from local storage when one is saved. Saving another token restarts the
 * live connection with it.
 */
export function createApolloClient(wsClient: Client = createWsClient()) {
  const http = new HttpLink({
    uri: '/graphql',
    fetch: (uri, init) => {
      const headers = new Headers(init?.headers);
      const header = authorization();
      if (header) headers.set('authorization', header);
      return fetch(uri, { ...init, headers });
    },
  });
  const auth = new ErrorLink(({ error }) => {
    if (isAuthError(error)) markAuthRequired();
  });
  const transport = ApolloLink.split(
    ({ query }) => {
      const definition = getMainDefinition(query);
      return definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.SUBSCRIPTION;
    },
    new GraphQLWsLink(wsClient),
    http,
  );
  const link = ApolloLink.from([auth, transport]);
  let token = readToken();
  onAuthChange(() => {
    if (readToken() === token) return;
    token = readToken();
    wsClient.terminate();
  });
  return { client: new ApolloClient({ link, cache: createCache() }), wsClient };
}
