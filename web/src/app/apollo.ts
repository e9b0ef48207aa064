import { ApolloClient, HttpLink, InMemoryCache } from '@apollo/client';

const TOKEN_KEY = 'orchestrator.token';

export const readToken = () => localStorage.getItem(TOKEN_KEY);
export const saveToken = (token: string) => localStorage.setItem(TOKEN_KEY, token.trim());

/** Queries and mutations over HTTP, with the API token from local storage when one is set. */
export function createApolloClient() {
  const link = new HttpLink({
    uri: '/graphql',
    fetch: (uri, init) => {
      const token = readToken();
      const headers = new Headers(init?.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      return fetch(uri, { ...init, headers });
    },
  });
  return new ApolloClient({ link, cache: new InMemoryCache() });
}
