import { useMutation } from '@apollo/client/react';
import { errorMessage } from '../../common/errors';
import { RequestPaperAnalysisDocument } from '../../gql/graphql';

/** Asks for an LLM analysis of the run's paper; the run's panel then follows it live (runUpdated). */
export function RequestAnalysisButton({ runId, again = false }: { runId: string; again?: boolean }) {
  const [request, { loading, error }] = useMutation(RequestPaperAnalysisDocument, {
    update(cache, { data }) {
      if (!data) return;
      // The run points at its new analysis at once, before runUpdated says so.
      cache.modify({
        id: cache.identify({ __typename: 'Run', id: runId }),
        fields: { paperAnalysis: (_, { toReference }) => toReference({ __typename: 'PaperAnalysis', id: data.requestPaperAnalysis.id }) },
      });
    },
  });
  return (
    <span className="request-analysis">
      <button
        type="button"
        className="button button-small button-ghost"
        disabled={loading}
        onClick={() => void request({ variables: { runId } }).catch(() => undefined)}
      >
        {loading ? 'Requesting…' : again ? 'Analyse again' : 'Request paper analysis'}
      </button>
      {error && (
        <span className="error" role="alert">
          {' '}
          {errorMessage(error)}
        </span>
      )}
    </span>
  );
}
