import DataLoader from 'dataloader';
import type { Request } from 'express';
import { ANONYMOUS, type Principal } from '../auth/principal.js';

/** What every resolver receives as context: who is calling, and per-request loaders. */
export interface GraphqlContext {
  principal: Principal;
  /** Null for a subscription: its context lives as long as the subscription, and cached values would go stale. */
  loaders: Map<string, DataLoader<string, unknown>> | null;
}

/** The principal of a graphql-ws connection, set when it was accepted (see graphqlOptions). */
export interface WsExtra {
  principal?: Principal;
}

/** Builds the context for an HTTP request ({ req }) or a graphql-ws operation ({ extra }). */
export function createGraphqlContext(source: { req?: Request; extra?: WsExtra }): GraphqlContext {
  const principal = source.req?.principal ?? source.extra?.principal ?? ANONYMOUS;
  return { principal, loaders: source.req ? new Map() : null };
}

/**
 * A DataLoader that lives for one request: N `Run.hypothesis` lookups in a list become one store query.
 * `batch` must return values in the order of `ids` (null where missing).
 */
export function requestLoader<V>(
  context: GraphqlContext,
  key: string,
  batch: (ids: readonly string[]) => Promise<(V | null)[]>,
): DataLoader<string, V | null> {
  const loaders = context.loaders;
  if (!loaders) return new DataLoader<string, V | null>(batch, { cache: false });
  let loader = loaders.get(key) as DataLoader<string, V | null> | undefined;
  if (!loader) {
    loader = new DataLoader<string, V | null>(batch);
    loaders.set(key, loader);
  }
  return loader;
}
