import { useLiveSubscription } from '../../app/useLiveSubscription';
import { OnRunsChangedDocument, type RunRowFieldsFragment } from '../../gql/graphql';

/** Calls `onChange` with every run created or changed anywhere (runsChanged); see useLiveSubscription. */
export function useRunsChanged(onChange: (run: RunRowFieldsFragment) => void, options: { enabled?: boolean; onResume?: () => void } = {}) {
  useLiveSubscription(OnRunsChangedDocument, {}, (data) => onChange(data.runsChanged), options);
}
