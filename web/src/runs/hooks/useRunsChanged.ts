import { useApolloClient } from '@apollo/client/react';
import { useKeepSubscribed } from '../../app/useKeepSubscribed';
import { OnRunsChangedDocument, type RunRowFieldsFragment } from '../../gql/graphql';

/**
 * Calls `onChange` with every run created or changed anywhere (runsChanged). Rows already in the
 * cache update themselves; the callback handles what normalisation cannot (lists, counts).
 * `onResume` runs after a reconnect, to refetch what was missed while disconnected.
 */
export function useRunsChanged(onChange: (run: RunRowFieldsFragment) => void, { enabled = true, onResume }: { enabled?: boolean; onResume?: () => void } = {}) {
  const client = useApolloClient();
  useKeepSubscribed(
    enabled,
    {
      start: (fail) => {
        const subscription = client.subscribe({ query: OnRunsChangedDocument }).subscribe({
          next: (result) => {
            if (result.error) fail(result.error);
            else if (result.data) onChange(result.data.runsChanged);
          },
          error: fail,
        });
        return () => subscription.unsubscribe();
      },
      onResume,
    },
    [client],
  );
}
