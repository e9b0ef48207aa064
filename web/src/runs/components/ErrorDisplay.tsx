import { CopyButton } from '../../common/components/CopyButton';
import { RelativeTime } from '../../common/components/RelativeTime';
import type { RunErrorFieldsFragment } from '../../gql/graphql';

/** Why a run failed: type and message, the traceback expandable. Renders nothing without an error. */
export function ErrorDisplay({ run }: { run: RunErrorFieldsFragment }) {
  if (!run.errorMessage && !run.errorType && !run.errorTraceback) return null;
  return (
    <section className="card error-display" role="alert" aria-labelledby="run-error-title">
      <h2 id="run-error-title">
        {run.status === 'FAILED' ? 'The run failed' : 'Error'}
        {run.errorType && <code className="error-type">{run.errorType}</code>}
      </h2>
      {run.errorMessage && <p className="error-message">{run.errorMessage}</p>}
      {run.failedAt && (
        <p className="muted">
          at <RelativeTime value={run.failedAt} />
        </p>
      )}
      {run.errorTraceback && (
        <details className="traceback">
          <summary>Traceback</summary>
          <CopyButton text={run.errorTraceback} label="Copy traceback" />
          <pre>{run.errorTraceback}</pre>
        </details>
      )}
    </section>
  );
}
