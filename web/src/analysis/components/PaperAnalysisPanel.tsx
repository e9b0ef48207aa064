import { RelativeTime } from '../../common/components/RelativeTime';
import { Section } from '../../common/components/Section';
import { StatusBadge } from '../../common/components/StatusBadge';
import { formatNumber, formatPercent } from '../../common/format';
import type { PaperAnalysisFieldsFragment } from '../../gql/graphql';
import { RequestAnalysisButton } from './RequestAnalysisButton';

const SCORES: [keyof NonNullable<PaperAnalysisFieldsFragment['quantitative']>, string][] = [
  ['quality', 'Quality'],
  ['faithfulness', 'Faithfulness'],
  ['innovation', 'Innovation'],
  ['efficiency', 'Efficiency'],
  ['reliability', 'Reliability'],
  ['reproducibility', 'Reproducibility'],
];

const QUALITATIVE: [keyof NonNullable<PaperAnalysisFieldsFragment['qualitative']>, string][] = [
  ['hypothesisProof', 'Does it prove the hypothesis?'],
  ['novelty', 'Novelty'],
  ['tradeoffs', 'Trade-offs'],
  ['conclusion', 'Conclusion'],
  ['recommendations', 'Recommendations'],
];

/** The LLM's analysis of the paper: scores out of 10 (success rate as a share), and the written assessment. */
export function PaperAnalysisPanel({
  runId,
  analysis,
  hasPaper,
}: {
  runId: string;
  analysis: PaperAnalysisFieldsFragment | null | undefined;
  hasPaper: boolean;
}) {
  return (
    <Section
      title="Paper analysis"
      id="analysis"
      actions={hasPaper && analysis?.status !== 'QUEUED' && analysis?.status !== 'RUNNING' && <RequestAnalysisButton runId={runId} again={!!analysis} />}
    >
      {!analysis ? (
        <p className="muted">{hasPaper ? 'No analysis yet. An LLM can score the paper and assess it in writing.' : 'Available once the paper is written.'}</p>
      ) : analysis.status === 'QUEUED' || analysis.status === 'RUNNING' ? (
        <p aria-live="polite">
          <span className="spinner" aria-hidden="true" /> {analysis.status === 'QUEUED' ? 'Queued' : 'Analysing the paper'}
          {analysis.attempts > 1 && ` (attempt ${analysis.attempts})`}, asked by {analysis.requestedBy} <RelativeTime value={analysis.createdAt} />…
        </p>
      ) : analysis.status === 'FAILED' ? (
        <p className="error" role="alert">
          The analysis failed
          {analysis.errorCode && (
            <>
              {' '}
              (<code>{analysis.errorCode}</code>)
            </>
          )}
          : {analysis.errorMessage ?? 'no reason given'}
        </p>
      ) : (
        <>
          <p className="muted">
            <StatusBadge status={analysis.status} /> <RelativeTime value={analysis.completedAt} />
            {analysis.models && ` · ${analysis.models.quantitative} / ${analysis.models.qualitative}`}
            {analysis.paper && ` · ${analysis.paper.pages ?? '?'} pages${analysis.paper.truncated ? ' (the middle was cut to fit)' : ''}`}
            {analysis.usage && ` · ${analysis.usage.totalTokens.toLocaleString('en')} tokens`}
          </p>
          {analysis.quantitative && (
            <table className="scores">
              <caption className="visually-hidden">Scores</caption>
              <tbody>
                {SCORES.map(([key, label]) => (
                  <tr key={key}>
                    <th scope="row">{label}</th>
                    <td className="score-bar" aria-hidden="true">
                      <span style={{ width: `${Math.min(100, analysis.quantitative![key] * 10)}%` }} />
                    </td>
                    <td className="num">
                      {formatNumber(analysis.quantitative![key], 3)} <span className="muted">/ 10</span>
                    </td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">Success rate</th>
                  <td className="score-bar" aria-hidden="true">
                    <span style={{ width: formatPercent(analysis.quantitative.successRate) }} />
                  </td>
                  <td className="num">{formatPercent(analysis.quantitative.successRate)}</td>
                </tr>
              </tbody>
            </table>
          )}
          {analysis.qualitative && (
            <div className="qualitative">
              {QUALITATIVE.map(([key, label]) => (
                <div key={key}>
                  <h4>{label}</h4>
                  <p>{analysis.qualitative![key]}</p>
                </div>
              ))}
            </div>
          )}
        </>
      )}
    </Section>
  );
}
