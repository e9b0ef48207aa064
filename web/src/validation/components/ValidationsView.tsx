import { Section } from '../../common/components/Section';
import type { RunStatus, ValidationFieldsFragment } from '../../gql/graphql';
import { isReviewable } from '../../runs/run-status';
import { HumanValidationForm } from './HumanValidationForm';
import { ValidationCard } from './ValidationCard';

/** Automatic and human validations side by side; the review form while the run awaits a human verdict. */
export function ValidationsView({ runId, status, validations }: { runId: string; status: RunStatus; validations: readonly ValidationFieldsFragment[] }) {
  const auto = validations.filter((v) => v.kind === 'AUTO');
  const human = validations.filter((v) => v.kind === 'HUMAN');
  const reviewable = isReviewable(status) && human.length === 0;
  return (
    <Section title="Validations" id="validations">
      <div className="side-by-side">
        <div>
          <h3>Automatic</h3>
          {auto.length === 0 ? <p className="muted">No automatic validation yet.</p> : auto.map((v) => <ValidationCard key={v.id} validation={v} />)}
        </div>
        <div>
          <h3>Human</h3>
          {human.map((v) => (
            <ValidationCard key={v.id} validation={v} />
          ))}
          {reviewable && <HumanValidationForm runId={runId} auto={auto.at(-1)} />}
          {human.length === 0 && !reviewable && <p className="muted">A human verdict can be given once the run awaits review.</p>}
        </div>
      </div>
    </Section>
  );
}
