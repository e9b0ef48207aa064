import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** A graphql-ws client on the app's /graphql, as a browser or external tool would connect. */
export function wsClient(baseUrl: string, token?: string): Client {
  return createClient({
    url: `${baseUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    lazy: true,
    retryAttempts: 0,
  });
}

/** Subscribes and collects every result until `until` says stop (or an error). */
export function collect<T>(
  client: Client,
  query: string,
  variables: Record<string, unknown>,
  until: (items: T[]) => boolean,
  field: string,
): { done: Promise<T[]>; items: T[]; stop: () => void } {
  const items: T[] = [];
  let stop = () => undefined as void;
  const done = new Promise<T[]>((resolve, reject) => {
    stop = client.subscribe<Record<string, T>>(
      { query, variables },
      {
        next: (result) => {
          if (result.errors?.length) return reject(new Error(JSON.stringify(result.errors)));
          items.push(result.data![field]);
          if (until(items)) {
            stop();
            resolve(items);
          }
        },
        // A refused connection ends with its CloseEvent (code 4403...); tests assert on it as it is.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        error: (error) => reject(error),
        complete: () => resolve(items),
      },
    );
  });
  return { done, items, stop: () => stop() };
}
