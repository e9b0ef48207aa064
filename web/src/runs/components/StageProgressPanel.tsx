import { ProgressBar } from '../../common/components/ProgressBar';
import { RelativeTime } from '../../common/components/RelativeTime';
import { Section } from '../../common/components/Section';
import { useNow } from '../../common/hooks/useNow';
import { formatClock, formatDuration, formatExact, formatNumber, formatPercent, stageLabel } from '../../common/format';
import type { StageProgressFieldsFragment } from '../../gql/graphql';
import { isTerminal, isWorking } from '../run-status';
import { clampProgress, stageEta } from './stage-eta';

/** The stage running now: progress, iteration, good/buggy/total nodes, best metric and time left. */
export function StageProgressPanel({ run }: { run: StageProgressFieldsFragment }) {
  const now = useNow();
  const stage = run.currentStage;
  if (!stage) {
    return (
      <Section title="Progress" id="progress">
        <p className="muted">{isTerminal(run.status) ? 'The run ended before any stage started.' : 'No stage has started yet.'}</p>
      </Section>
    );
  }
  const progress = clampProgress(stage.progress);
  const eta = isWorking(run.status) ? stageEta(stage, now) : null;
  return (
    <Section title={`Progress · ${stageLabel(stage.name)}`} id="progress">
      <ProgressBar value={progress} label={`${stageLabel(stage.name)} progress`} tone={progress >= 1 ? 'done' : 'default'} />
      <dl className="facts">
        <div>
          <dt>Progress</dt>
          <dd>{formatPercent(progress)}</dd>
        </div>
        <div>
          <dt>Iteration</dt>
          <dd>{stage.iteration != null ? `${stage.iteration}${stage.maxIterations != null ? ` / ${stage.maxIterations}` : ''}` : '—'}</dd>
        </div>
        <div>
          <dt>Nodes</dt>
          <dd>
            <span className="good">{stage.goodNodes ?? 0} good</span> · <span className="bad">{stage.buggyNodes ?? 0} buggy</span> · {stage.totalNodes ?? 0}{' '}
            total
          </dd>
        </div>
        <div>
          <dt>Best metric</dt>
          <dd>{formatNumber(stage.bestMetric)}</dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd data-testid="stage-eta">
            {eta === null ? (
              <span className="muted">{isWorking(run.status) ? 'no estimate yet' : '—'}</span>
            ) : eta.overdue ? (
              'any moment now'
            ) : (
              <span title={formatExact(eta.finishAt)}>
                about {formatDuration(eta.remainingS)} (until {formatClock(eta.finishAt)})
              </span>
            )}
          </dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>
            <RelativeTime value={stage.updatedAt} />
          </dd>
        </div>
      </dl>
    </Section>
  );
}
