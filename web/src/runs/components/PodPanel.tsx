import { CopyButton } from '../../common/components/CopyButton';
import { RelativeTime } from '../../common/components/RelativeTime';
import { Section } from '../../common/components/Section';
import { formatNumber } from '../../common/format';
import type { RunPodFieldsFragment } from '../../gql/graphql';

/** Where the run executes: its pod (GPU type, region, image, cost, SSH), provisioning log, telemetry and start job. */
export function PodPanel({ run }: { run: RunPodFieldsFragment }) {
  const { pod, telemetry, startJob, provisioning } = run;
  return (
    <Section title="Pod" id="pod">
      {!pod && !startJob && !provisioning && <p className="muted">{run.status === 'QUEUED' ? 'Waiting for a GPU slot.' : 'No pod was reported.'}</p>}
      {provisioning && (
        <dl className="facts" aria-label="Provisioning">
          <div>
            <dt>Provider</dt>
            <dd>
              {provisioning.provider}
              {provisioning.mode !== 'full' && ` (${provisioning.mode})`}
            </dd>
          </div>
          <div>
            <dt>GPU</dt>
            <dd>{provisioning.gpuType ?? pod?.instanceType ?? '—'}</dd>
          </div>
          <div>
            <dt>Region</dt>
            <dd>{provisioning.region ?? pod?.region ?? '—'}</dd>
          </div>
          <div>
            <dt>Cost</dt>
            <dd>{provisioning.costPerHour != null ? `$${provisioning.costPerHour.toFixed(2)}/h` : '—'}</dd>
          </div>
          <div>
            <dt>Requested</dt>
            <dd>
              <RelativeTime value={provisioning.requestedAt} />
            </dd>
          </div>
          <div>
            <dt>Ready</dt>
            <dd>
              <RelativeTime value={provisioning.readyAt} fallback="not yet" />
            </dd>
          </div>
          {provisioning.terminatedAt && (
            <div>
              <dt>Terminated</dt>
              <dd>
                <RelativeTime value={provisioning.terminatedAt} />
                {provisioning.exitCode != null && ` (exit ${provisioning.exitCode})`}
              </dd>
            </div>
          )}
        </dl>
      )}
      {provisioning?.sshCommand && (
        <p className="ssh">
          SSH <code>{provisioning.sshCommand}</code> <CopyButton text={provisioning.sshCommand} className="button button-tiny button-ghost" />
        </p>
      )}
      {provisioning?.error && <p className="error">{provisioning.error}</p>}
      {provisioning && provisioning.attempts.length > 0 && (
        <details>
          <summary>Provisioning log ({provisioning.attempts.length})</summary>
          <ol className="provisioning-log">
            {provisioning.attempts.map((a, i) => (
              <li key={`${a.at}-${i}`}>
                <RelativeTime value={a.at} /> · {a.provider}
                {a.gpuType && ` · ${a.gpuType}`} · <strong className={a.outcome === 'created' ? 'good' : 'bad'}>{a.outcome.replace(/_/g, ' ')}</strong>
                {a.message && <span className="muted"> — {a.message}</span>}
              </li>
            ))}
          </ol>
        </details>
      )}
      {startJob && (
        <p className="muted">
          Start job <code>{startJob.id}</code>: {startJob.state}
          {startJob.attemptsMade > 0 && `, ${startJob.attemptsMade} attempt${startJob.attemptsMade === 1 ? '' : 's'}`}
          {startJob.failedReason && <span className="error"> — {startJob.failedReason}</span>}
        </p>
      )}
      {pod && (
        <dl className="facts">
          <div>
            <dt>Pod</dt>
            <dd>
              <code>{pod.id}</code>
            </dd>
          </div>
          {!provisioning && (
            <>
              <div>
                <dt>GPU</dt>
                <dd>{pod.instanceType ?? '—'}</dd>
              </div>
              <div>
                <dt>Region</dt>
                <dd>{pod.region ?? '—'}</dd>
              </div>
            </>
          )}
          <div>
            <dt>Image</dt>
            <dd>{pod.image ? <code>{pod.image}</code> : '—'}</dd>
          </div>
          <div>
            <dt>Reported</dt>
            <dd>
              <RelativeTime value={pod.at} />
            </dd>
          </div>
        </dl>
      )}
      {telemetry && (
        <dl className="facts" aria-label="Telemetry">
          <div>
            <dt>GPU use</dt>
            <dd>{telemetry.gpuUtil != null ? `${formatNumber(telemetry.gpuUtil, 3)}%` : '—'}</dd>
          </div>
          <div>
            <dt>Memory</dt>
            <dd>{telemetry.memGb != null ? `${formatNumber(telemetry.memGb, 3)} GB` : '—'}</dd>
          </div>
          <div>
            <dt>Temperature</dt>
            <dd>{telemetry.tempC != null ? `${formatNumber(telemetry.tempC, 3)} °C` : '—'}</dd>
          </div>
          <div>
            <dt>Heartbeat</dt>
            <dd>
              <RelativeTime value={telemetry.at} />
            </dd>
          </div>
        </dl>
      )}
    </Section>
  );
}
