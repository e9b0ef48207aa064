import {
  createSourceEventStream,
  type DocumentNode,
  execute,
  type ExecutionArgs,
  type ExecutionResult,
  print,
} from 'graphql';

type Result = ExecutionResult | Promise<ExecutionResult>;

// Per source event: the results already computed for it, by operation (document, variables, caller).
const results = new WeakMap<object, Map<string, Result>>();
const documentTexts = new WeakMap<DocumentNode, string>();

function documentText(document: DocumentNode): string {
  let text = documentTexts.get(document);
  if (text === undefined) {
    text = print(document);
    documentTexts.set(document, text);
  }
  return text;
}

/**
 * What makes two subscriptions' results for one event the same: the operation text, its name and
 * variables, and who asks (resolvers may depend on the principal, never on anything else in the
 * context of a subscription).
 */
function operationKey(args: ExecutionArgs): string {
  const principal = (args.contextValue as { principal?: unknown } | undefined)?.principal ?? null;
  return JSON.stringify([documentText(args.document), args.operationName ?? null, args.variableValues ?? null, principal]);
}

/**
 * graphql-js `subscribe`, except that subscribers of the same operation share the execution of
 * each event: a thousand browsers following one run's logs cost one execution per line, not a
 * thousand. Sharing needs the very same event object (what pub/sub hands every listener); events
 * read from the store for one subscriber (a replay) are executed for it alone. Each subscriber
 * still gets its own stream, in its own order, with its own filter.
 */
export async function sharedSubscribe(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in source)) return source;
  const key = operationKey(args);
  const map = (payload: unknown): Result => {
    if (typeof payload !== 'object' || payload === null) return execute({ ...args, rootValue: payload });
    let byOperation = results.get(payload);
    if (!byOperation) {
      byOperation = new Map();
      results.set(payload, byOperation);
    }
    let result = byOperation.get(key);
    if (!result) {
      const executed = execute({ ...args, rootValue: payload });
      result = executed;
      byOperation.set(key, executed);
      // Once settled, later subscribers take the result as it is instead of waiting on the promise.
      if (isPromise(executed)) void executed.then((settled) => byOperation.set(key, settled), () => undefined);
    }
    return result;
  };
  return mapAsync(source as AsyncIterableIterator<unknown>, map);
}

const isPromise = <T>(value: T | Promise<T>): value is Promise<T> => typeof (value as { then?: unknown } | null)?.then === 'function';

/**
 * Maps an async iterator; `return` (unsubscribe) reaches the source at once, even while a `next`
 * waits. A value mapped without a promise costs no extra turn (this runs once per event per subscriber).
 */
function mapAsync<T, R>(source: AsyncIterableIterator<T>, map: (value: T) => R | Promise<R>): AsyncGenerator<R> {
  const closeAndThrow = async (error: unknown): Promise<never> => {
    await source.return?.().catch(() => undefined);
    throw error;
  };
  const mapped = (result: IteratorResult<T>): IteratorResult<R> | Promise<IteratorResult<R>> => {
    if (result.done) return result as IteratorResult<R>;
    let value: R | Promise<R>;
    try {
      value = map(result.value);
    } catch (error) {
      return closeAndThrow(error);
    }
    return isPromise(value) ? value.then((settled) => ({ value: settled, done: false }), closeAndThrow) : { value, done: false };
  };
  const iterator = {
    next: () => source.next().then(mapped),
    return: () => (source.return ? source.return().then(mapped) : Promise.resolve({ value: undefined, done: true as const })),
    throw: (error: unknown) => (source.throw ? source.throw(error).then(mapped) : closeAndThrow(error)),
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return iterator as unknown as AsyncGenerator<R>;
}
