import { useMutation, useQuery } from '@apollo/client/react';
import { useRef } from 'react';
import { Link } from 'react-router';
import { RelativeTime } from '../../common/components/RelativeTime';
import { StatusBadge } from '../../common/components/StatusBadge';
import { ErrorState, Loading } from '../../common/components/States';
import { errorMessage } from '../../common/errors';
import { useThrottled } from '../../common/hooks/useThrottled';
import { IdeationDetailDocument, LaunchRunDocument } from '../../gql/graphql';
import { useRunsChanged } from '../../runs/hooks/useRunsChanged';
import { useIdeationsChanged } from '../hooks/useIdeationsChanged';
import { IdeaCard } from './IdeaCard';

/** One ideation request: its state, every idea it produced, each round's critique, and launching a run from it. */
export function IdeationDetail({ id, onClose }: { id: string; onClose: () => void }) {
  const { data, error, refetch } = useQuery(IdeationDetailDocument, { variables: { id } });
  const launchKey = useRef(crypto.randomUUID());
  const [launch, launchState] = useMutation(LaunchRunDocument, {
    onCompleted: () => {
      launchKey.current = crypto.randomUUID();
      void refetch().catch(() => undefined);
    },
  });
  const ideation = data?.ideation;
  const refresh = useThrottled(() => void refetch().catch(() => undefined), 1000);
  // Each change arrives with every field shown here: the cache updates this panel by itself.
  useIdeationsChanged(() => undefined, { id, onResume: refresh });
  // The hypothesis's runs: listed ones update in the cache; a new one (launched elsewhere) needs a refetch.
  useRunsChanged(
    (run) => {
      const runs = ideation?.hypothesis?.runs.nodes ?? [];
      if (run.hypothesis.id === ideation?.hypothesisId && !runs.some((r) => r.id === run.id)) refresh();
    },
    { enabled: Boolean(ideation), onResume: refresh },
  );

  return (
    <aside className="card ideation-detail" aria-label="Ideation details">
      <header className="card-header">
        <h2>{ideation?.hypothesis?.title ?? 'Ideation'}</h2>
        <button type="button" className="button button-small button-ghost" onClick={onClose}>
          Close
        </button>
      </header>
      {error && !ideation ? (
        <ErrorState what="the ideation" error={error} onRetry={() => void refetch()} />
      ) : !ideation ? (
        <Loading what="the ideation" />
      ) : (
        <>
          <p>
            <StatusBadge status={ideation.status} />{' '}
            <span className="muted">
              {ideation.reflectionsDone} of {ideation.reflections} reflections
            </span>
            {ideation.model && <span className="muted"> · {ideation.model}</span>}
            {ideation.usage && <span className="muted"> · {ideation.usage.totalTokens.toLocaleString('en')} tokens</span>}
          </p>
          <p className="muted">
            Asked by {ideation.createdBy} <RelativeTime value={ideation.createdAt} />
            {ideation.completedAt && (
              <>
                {' '}
                · finished <RelativeTime value={ideation.completedAt} />
              </>
            )}
            {ideation.attempts > 1 && ` · ${ideation.attempts} attempts`}
          </p>
          {ideation.errorMessage && (
            <p className="error" role="alert">
              {ideation.errorCode && <code>{ideation.errorCode}</code>} {ideation.errorMessage}
            </p>
          )}
          <div className="row">
            {ideation.status === 'COMPLETED' && ideation.hypothesis && !ideation.hypothesis.hidden && (
              <button
                type="button"
                className="button"
                disabled={launchState.loading}
                onClick={() => void launch({ variables: { hypothesisId: ideation.hypothesisId, idempotencyKey: launchKey.current } }).catch(() => undefined)}
              >
                {launchState.loading ? 'Launching…' : 'Launch a run from this idea'}
              </button>
            )}
            {ideation.runId && <Link to={`/runs/${ideation.runId}`}>The run it launched →</Link>}
            {launchState.data && <Link to={`/runs/${launchState.data.launchRun.id}`}>Watch the new run →</Link>}
          </div>
          {launchState.error && (
            <p className="error" role="alert">
              {errorMessage(launchState.error)}
            </p>
          )}
          {ideation.hypothesis && ideation.hypothesis.runs.totalCount > 0 && (
            <p className="muted">
              Runs of this hypothesis:{' '}
              {ideation.hypothesis.runs.nodes.map((r) => (
                <Link key={r.id} to={`/runs/${r.id}`} className="inline-run">
                  <StatusBadge status={r.status} />
                </Link>
              ))}
            </p>
          )}
          <h3>Ideas ({ideation.ideas.length})</h3>
          {ideation.ideas.length === 0 ? (
            <p className="muted">{ideation.status === 'COMPLETED' ? 'The ideation produced no idea.' : 'Ideas appear when the ideation completes.'}</p>
          ) : (
            ideation.ideas.map((idea, index) => <IdeaCard key={index} idea={idea} index={index} />)
          )}
          {ideation.rounds.length > 0 && (
            <details>
              <summary>Rounds ({ideation.rounds.length})</summary>
              <ol className="rounds">
                {ideation.rounds.map((round) => (
                  <li key={round.round}>
                    <strong>{round.round === 0 ? 'First draft' : `Reflection ${round.round}`}</strong> <RelativeTime value={round.at} />
                    {round.critique && <p className="idea-text">{round.critique}</p>}
                  </li>
                ))}
              </ol>
            </details>
          )}
          {ideation.hypothesis && (
            <details>
              <summary>The hypothesis as submitted</summary>
              <p className="idea-text">{ideation.hypothesis.idea}</p>
            </details>
          )}
        </>
      )}
    </aside>
  );
}
