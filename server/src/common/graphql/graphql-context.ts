import DataLoader from 'dataloader';
import type { Request } from 'express';

/** What every resolver receives as context: the HTTP request (with its principal) and per-request loaders. */
export interface GraphqlContext {
  req: Request;
  loaders: Map<string, DataLoader<string, unknown>>;
}

export function createGraphqlContext({ req }: { req: Request }): GraphqlContext {
  return { req, loaders: new Map() };
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
  let loader = context.loaders.get(key) as DataLoader<string, V | null> | undefined;
  if (!loader) {
    loader = new DataLoader<string, V | null>(batch);
    context.loaders.set(key, loader);
  }
  return loader;
}
