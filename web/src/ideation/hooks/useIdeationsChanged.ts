import { useLiveSubscription } from '../../app/useLiveSubscription';
import { OnIdeationsChangedDocument, type OnIdeationsChangedSubscription } from '../../gql/graphql';

/** Calls `onChange` with every ideation request created or changed, or only request `id`'s (ideationsChanged); see useLiveSubscription. */
export function useIdeationsChanged(
  onChange: (ideation: OnIdeationsChangedSubscription['ideationsChanged']) => void,
  { id = null, ...options }: { id?: string | null; enabled?: boolean; onResume?: () => void } = {},
) {
  useLiveSubscription(OnIdeationsChangedDocument, { id }, (data) => onChange(data.ideationsChanged), options);
}
