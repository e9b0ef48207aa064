import { RelativeTime } from '../../common/components/RelativeTime';
import { StatusBadge } from '../../common/components/StatusBadge';
import { formatNumber } from '../../common/format';
import type { ValidationFieldsFragment } from '../../gql/graphql';
import { scoreMax } from './human-validation';
import { structuredReview } from './review';

/** One validation: verdict, rubric scores, who/what reviewed, and the review (structured when it is). */
export function ValidationCard({ validation, compact = false }: { validation: ValidationFieldsFragment; compact?: boolean }) {
  const review = structuredReview(validation.review);
  const max = scoreMax(validation);
  return (
    <div className="validation" data-kind={validation.kind}>
      <div className="validation-head">
        {validation.verdict ? <StatusBadge status={validation.verdict} /> : <StatusBadge status={validation.status} />}
        <span className="muted">
          {validation.kind === 'AUTO' ? (validation.model ?? 'automatic review') : (validation.reviewer ?? 'reviewer')}
          {validation.rubricVersion && ` · rubric ${validation.rubricVersion}`}
          {validation.completedAt ? (
            <>
              {' · '}
              <RelativeTime value={validation.completedAt} />
            </>
          ) : validation.startedAt ? (
            <>
              {' · started '}
              <RelativeTime value={validation.startedAt} />
            </>
          ) : null}
        </span>
      </div>
      {validation.scores.length > 0 && (
        <table className="scores">
          <caption className="visually-hidden">Rubric scores</caption>
          <tbody>
            {validation.scores.map((s) => (
              <tr key={s.name}>
                <th scope="row">{s.name}</th>
                <td className="score-bar" aria-hidden="true">
                  <span style={{ width: `${Math.min(100, (s.score / max) * 100)}%` }} />
                </td>
                <td className="num">
                  {formatNumber(s.score, 3)} <span className="muted">/ {max}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {review ? (
        <div className="review">
          {review.summary && !compact && <p>{review.summary}</p>}
          {review.strengths.length > 0 && (
            <>
              <h4>Strengths</h4>
              <ul>
                {review.strengths.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ul>
            </>
          )}
          {review.weaknesses.length > 0 && (
            <>
              <h4>Weaknesses</h4>
              <ul>
                {review.weaknesses.map((s, i) => (
                  <li key={i}>{s}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : (
        validation.notes && !compact && <p className="notes">{validation.notes}</p>
      )}
    </div>
  );
}
