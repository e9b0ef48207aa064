import { RelativeTime } from '../../common/components/RelativeTime';
import { Section } from '../../common/components/Section';
import { formatNumber } from '../../common/format';
import type { RunPodFieldsFragment } from '../../gql/graphql';

/** Where the run executes: its pod (GPU type, region, image), the worker's telemetry and its start job. */
export function PodPanel({ run }: { run: RunPodFieldsFragment }) {
  const { pod, telemetry, startJob } = run;
  return (
    <Section title="Pod" id="pod">
      {!pod && !startJob && <p className="muted">{run.status === 'QUEUED' ? 'Waiting for a GPU slot.' : 'No pod was reported.'}</p>}
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
          <div>
            <dt>GPU</dt>
            <dd>{pod.instanceType ?? '—'}</dd>
          </div>
          <div>
            <dt>Region</dt>
            <dd>{pod.region ?? '—'}</dd>
          </div>
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
