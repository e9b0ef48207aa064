import { ProgressBar } from '../../common/components/ProgressBar';
import { RelativeTime } from '../../common/components/RelativeTime';
import { Section } from '../../common/components/Section';
import { StatusBadge } from '../../common/components/StatusBadge';
import { useNow } from '../../common/hooks/useNow';
import { formatDuration, formatNumber, stageLabel } from '../../common/format';
import type { PipelineStageFieldsFragment } from '../../gql/graphql';
import { clampProgress } from './stage-eta';

/** The four pipeline stages in order, each with its status, progress, timing and best metric. */
export function PipelineStages({ run }: { run: PipelineStageFieldsFragment }) {
  const now = useNow();
  return (
    <Section title="Pipeline" id="stages">
      <ol className="stages">
        {run.stages.map((stage) => {
          const elapsed =
            stage.durationS ??
            (stage.startedAt ? ((stage.completedAt ? new Date(stage.completedAt).getTime() : now) - new Date(stage.startedAt).getTime()) / 1000 : null);
          return (
            <li key={stage.name} className={`stage stage-${stage.status.toLowerCase()}`} data-stage={stage.name}>
              <div className="stage-head">
                <h3>{stageLabel(stage.name)}</h3>
                <StatusBadge status={stage.status} />
              </div>
              {stage.description && <p className="muted stage-description">{stage.description}</p>}
              <ProgressBar
                value={stage.status === 'COMPLETED' ? 1 : clampProgress(stage.progress)}
                label={`${stageLabel(stage.name)} progress`}
                tone={stage.status === 'COMPLETED' ? 'done' : stage.status === 'FAILED' ? 'failed' : 'default'}
              />
              <dl className="facts facts-compact">
                <div>
                  <dt>Time</dt>
                  <dd>{formatDuration(elapsed)}</dd>
                </div>
                <div>
                  <dt>Started</dt>
                  <dd>
                    <RelativeTime value={stage.startedAt} />
                  </dd>
                </div>
                {stage.bestMetric != null && (
                  <div>
                    <dt>Best</dt>
                    <dd>
                      {formatNumber(stage.bestMetric)}
                      {stage.bestNodeId && <span className="muted"> ({stage.bestNodeId})</span>}
                    </dd>
                  </div>
                )}
              </dl>
              {stage.summary != null && (
                <details>
                  <summary>Summary</summary>
                  <pre className="json">{JSON.stringify(stage.summary, null, 2)}</pre>
                </details>
              )}
            </li>
          );
        })}
      </ol>
    </Section>
  );
}
