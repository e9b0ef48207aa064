import type { OperationVariables, TypedDocumentNode } from '@apollo/client';
import { useApolloClient } from '@apollo/client/react';
import { useRef } from 'react';
import { useKeepSubscribed } from './useKeepSubscribed';

/**
 * A subscription kept open while `enabled` (resubscribed after a dropped connection), handing each
 * result's data to `onData`. Entities in the results update the cache by themselves; `onData`
 * handles what normalisation cannot (lists, counts). `onResume` runs after a reconnect, to refetch
 * what was missed meanwhile.
 */
export function useLiveSubscription<TData, TVariables extends OperationVariables>(
  query: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  onData: (data: TData) => void,
  { enabled = true, onResume }: { enabled?: boolean; onResume?: () => void } = {},
) {
  const client = useApolloClient();
  // Results go to the latest render's callback, not the one of the render that subscribed.
  const latestOnData = useRef(onData);
  latestOnData.current = onData;
  useKeepSubscribed(
    enabled,
    {
      start: (fail) => {
        const subscription = client.subscribe({ query, variables }).subscribe({
          next: (result) => {
            if (result.error) fail(result.error);
            else if (result.data) latestOnData.current(result.data);
          },
          error: fail,
        });
        return () => subscription.unsubscribe();
      },
      onResume,
    },
    [client, query, JSON.stringify(variables)],
  );
}
