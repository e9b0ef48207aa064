import { useApolloClient } from '@apollo/client/react';
import { useKeepSubscribed } from '../../app/useKeepSubscribed';
import { OnIdeationsChangedDocument, type OnIdeationsChangedSubscription } from '../../gql/graphql';

type ChangedIdeation = OnIdeationsChangedSubscription['ideationsChanged'];

/**
 * Calls `onChange` with every ideation request created or changed (ideationsChanged), or only
 * request `id`'s. Requests and their hypotheses already in the cache update themselves; the
 * callback handles what normalisation cannot (lists, counts). `onResume` runs after a reconnect.
 */
export function useIdeationsChanged(
  onChange: (ideation: ChangedIdeation) => void,
  { id = null, enabled = true, onResume }: { id?: string | null; enabled?: boolean; onResume?: () => void } = {},
) {
  const client = useApolloClient();
  useKeepSubscribed(
    enabled,
    {
      start: (fail) => {
        const subscription = client.subscribe({ query: OnIdeationsChangedDocument, variables: { id } }).subscribe({
          next: (result) => {
            if (result.error) fail(result.error);
            else if (result.data) onChange(result.data.ideationsChanged);
          },
          error: fail,
        });
        return () => subscription.unsubscribe();
      },
      onResume,
    },
    [client, id],
  );
}
