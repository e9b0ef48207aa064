import { ApolloClient, ApolloLink } from '@apollo/client';
import { getMainDefinition } from '@apollo/client/utilities';
import { Kind, OperationTypeNode, type FormattedExecutionResult } from 'graphql';
import { Observable, type Subscriber } from 'rxjs';
import { createCache } from '../../src/app/apollo';

type Result = FormattedExecutionResult | Error;
export type Handler = (variables: Record<string, unknown>) => Result | Promise<Result>;

export interface Operation {
  name: string;
  variables: Record<string, unknown>;
}

/**
 * An Apollo client whose server is the test: queries and mutations are answered by handlers (by
 * operation name); subscriptions stay open until the test emits on them.
 */
export function createTestClient(handlers: Record<string, Handler> = {}) {
  const operations: Operation[] = [];
  const subscriptions: (Operation & { observer: Subscriber<FormattedExecutionResult>; closed: boolean })[] = [];
  const link = new ApolloLink((operation) => {
    const name = operation.operationName ?? '';
    const variables = operation.variables as Record<string, unknown>;
    operations.push({ name, variables });
    const definition = getMainDefinition(operation.query);
    if (definition.kind === Kind.OPERATION_DEFINITION && definition.operation === OperationTypeNode.SUBSCRIPTION) {
      return new Observable<FormattedExecutionResult>((observer) => {
        const entry = { name, variables, observer, closed: false };
        subscriptions.push(entry);
        return () => {
          entry.closed = true;
        };
      });
    }
    return new Observable<FormattedExecutionResult>((observer) => {
      const handler = handlers[name];
      if (!handler) {
        observer.error(new Error(`no handler for ${name}`));
        return;
      }
      void Promise.resolve(handler(variables)).then((result) => {
        if (result instanceof Error) observer.error(result);
        else {
          observer.next(result);
          observer.complete();
        }
      });
    });
  });
  const client = new ApolloClient({ link, cache: createCache() });
  return {
    client,
    operations,
    /** The operations of one name, oldest first. */
    calls: (name: string) => operations.filter((o) => o.name === name),
    /** Sends a result to every open subscription of that name. */
    emit(name: string, data: Record<string, unknown>) {
      for (const s of subscriptions) if (s.name === name && !s.closed) s.observer.next({ data });
    },
    /** Fails every open subscription of that name (a dropped connection). */
    fail(name: string, error: Error) {
      for (const s of subscriptions) if (s.name === name && !s.closed) s.observer.error(error);
    },
    open: (name: string) => subscriptions.filter((s) => s.name === name && !s.closed),
  };
}
