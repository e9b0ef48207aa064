import { RelativeTime } from '../../common/components/RelativeTime';
import { Section } from '../../common/components/Section';
import { StatusBadge } from '../../common/components/StatusBadge';
import type { RunHeaderFieldsFragment } from '../../gql/graphql';

/** Every status change, oldest first, with who made it and why. */
export function StatusHistory({ run }: { run: Pick<RunHeaderFieldsFragment, 'statusHistory' | 'createdAt'> }) {
  return (
    <Section title="Status history" id="history">
      <ol className="timeline">
        <li>
          <StatusBadge status="QUEUED" /> <RelativeTime value={run.createdAt} /> <span className="muted">created</span>
        </li>
        {run.statusHistory.map((t, index) => (
          <li key={`${t.at}-${index}`}>
            <StatusBadge status={t.to} /> <RelativeTime value={t.at} /> <span className="muted">by {t.by}</span>
            {t.reason && <span className="timeline-reason"> — {t.reason}</span>}
          </li>
        ))}
      </ol>
    </Section>
  );
}
