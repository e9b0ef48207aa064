import { useMutation } from '@apollo/client/react';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { CopyButton } from '../../common/components/CopyButton';
import { RelativeTime } from '../../common/components/RelativeTime';
import { StatusBadge } from '../../common/components/StatusBadge';
import { errorMessage } from '../../common/errors';
import { RequestAnalysisButton } from '../../analysis/components/RequestAnalysisButton';
import { CancelRunDocument, HideRunDocument, RetryWriteupDocument, UnhideRunDocument, type RunHeaderFieldsFragment } from '../../gql/graphql';
import { canCancel, canRetryWriteup } from '../run-status';

/** The run's title, status, times and actions (cancel with a reason, retry the writeup, request a paper analysis, hide/unhide). */
export function RunHeader({ run }: { run: RunHeaderFieldsFragment }) {
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const [cancel, cancelState] = useMutation(CancelRunDocument);
  const [hide, hideState] = useMutation(HideRunDocument);
  const [unhide, unhideState] = useMutation(UnhideRunDocument);
  const [retryWriteup, retryState] = useMutation(RetryWriteupDocument);
  const actionError = cancelState.error ?? hideState.error ?? unhideState.error ?? retryState.error;
  const analysing = run.paperAnalysis?.status === 'QUEUED' || run.paperAnalysis?.status === 'RUNNING';

  return (
    <header className="run-header card">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Hypotheses</Link> <span aria-hidden="true">/</span> <Link to={`/overview?hypothesis=${run.hypothesis.id}`}>{run.hypothesis.title}</Link>{' '}
        <span aria-hidden="true">/</span> <span>Run</span>
      </nav>
      <div className="run-title-row">
        <h1 className="run-title">{run.hypothesis.title}</h1>
        <StatusBadge status={run.status} className="badge-large" />
        {run.hidden && <span className="badge badge-muted">Hidden</span>}
      </div>
      <div className="run-meta">
        <span>
          Run <code>{run.id}</code> <CopyButton text={run.id} label="Copy id" className="button button-tiny button-ghost" />
        </span>
        <span>
          by {run.createdBy} · created <RelativeTime value={run.createdAt} />
        </span>
        {run.startedAt && (
          <span>
            started <RelativeTime value={run.startedAt} />
          </span>
        )}
        {run.completedAt && (
          <span>
            completed <RelativeTime value={run.completedAt} />
          </span>
        )}
        {run.failedAt && (
          <span>
            failed <RelativeTime value={run.failedAt} />
          </span>
        )}
        {run.lastHeartbeat && (
          <span>
            heartbeat <RelativeTime value={run.lastHeartbeat} />
          </span>
        )}
      </div>
      <div className="run-actions">
        {canCancel(run.status) && !confirming && (
          <button type="button" className="button button-danger" onClick={() => setConfirming(true)}>
            Cancel run
          </button>
        )}
        {confirming && canCancel(run.status) && (
          <form
            className="confirm"
            aria-label="Confirm cancel"
            onSubmit={(event) => {
              event.preventDefault();
              void cancel({ variables: { id: run.id, reason: reason.trim() || null } }).then(
                () => setConfirming(false),
                () => undefined,
              );
            }}
          >
            <label htmlFor={reasonId}>Reason (optional)</label>
            <input id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} autoFocus />
            <button type="submit" className="button button-danger" disabled={cancelState.loading}>
              {cancelState.loading ? 'Canceling…' : 'Confirm cancel'}
            </button>
            <button type="button" className="button button-ghost" onClick={() => setConfirming(false)}>
              Keep running
            </button>
          </form>
        )}
        {canRetryWriteup(run.status) && !run.writeup?.active && (
          <button
            type="button"
            className="button button-ghost"
            disabled={retryState.loading}
            onClick={() => void retryWriteup({ variables: { id: run.id } }).catch(() => undefined)}
          >
            {retryState.loading ? 'Retrying…' : 'Retry writeup'}
          </button>
        )}
        {run.paper?.status === 'GENERATED' && !analysing && <RequestAnalysisButton runId={run.id} again={!!run.paperAnalysis} />}
        {run.hidden ? (
          <button
            type="button"
            className="button button-ghost"
            disabled={unhideState.loading}
            onClick={() => void unhide({ variables: { id: run.id } }).catch(() => undefined)}
          >
            Unhide
          </button>
        ) : (
          <button
            type="button"
            className="button button-ghost"
            disabled={hideState.loading}
            onClick={() => void hide({ variables: { id: run.id } }).catch(() => undefined)}
          >
            Hide
          </button>
        )}
      </div>
      {actionError && (
        <p className="error" role="alert">
          {errorMessage(actionError)}
        </p>
      )}
    </header>
  );
}
