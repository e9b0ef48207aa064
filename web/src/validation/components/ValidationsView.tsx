import { Section } from '../../common/components/Section';
import type { ValidationFieldsFragment } from '../../gql/graphql';
import { ValidationCard } from './ValidationCard';

/** Automatic and human validations side by side (latest of each kind first). */
export function ValidationsView({ validations }: { validations: readonly ValidationFieldsFragment[] }) {
  const auto = validations.filter((v) => v.kind === 'AUTO');
  const human = validations.filter((v) => v.kind === 'HUMAN');
  return (
    <Section title="Validations" id="validations">
      <div className="side-by-side">
        <div>
          <h3>Automatic</h3>
          {auto.length === 0 ? <p className="muted">No automatic validation yet.</p> : auto.map((v) => <ValidationCard key={v.id} validation={v} />)}
        </div>
        <div>
          <h3>Human</h3>
          {human.length === 0 ? <p className="muted">No human verdict yet.</p> : human.map((v) => <ValidationCard key={v.id} validation={v} />)}
        </div>
      </div>
    </Section>
  );
}
