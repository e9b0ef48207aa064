import { useState } from 'react';
import { RelativeTime } from '../../common/components/RelativeTime';
import { Section } from '../../common/components/Section';
import { Empty } from '../../common/components/States';
import { formatBytes } from '../../common/format';
import type { ArtifactFieldsFragment } from '../../gql/graphql';

const nameOf = (key: string) => key.split('/').slice(2).join('/') || key;

/** A run's artifacts in the order they appeared: kind, size, status, and a download link (short-lived URL). */
export function ArtifactList({ artifacts }: { artifacts: readonly ArtifactFieldsFragment[] }) {
  const [kind, setKind] = useState('');
  const kinds = [...new Set(artifacts.map((a) => a.kind ?? 'other'))].sort();
  const shown = kind ? artifacts.filter((a) => (a.kind ?? 'other') === kind) : artifacts;
  return (
    <Section
      title={`Artifacts (${artifacts.length})`}
      id="artifacts"
      actions={
        kinds.length > 1 && (
          <label className="inline-label">
            Kind{' '}
            <select value={kind} onChange={(e) => setKind(e.target.value)}>
              <option value="">all</option>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
        )
      }
    >
      {artifacts.length === 0 ? (
        <Empty>No artifacts yet. Plots, the paper and code appear here as the worker registers them.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">Status</th>
                <th scope="col">Added</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((artifact) => (
                <tr key={artifact.key}>
                  <td>
                    {artifact.url ? (
                      <a href={artifact.url} target="_blank" rel="noreferrer" title={`${artifact.key} (opens or downloads)`}>
                        <code>{nameOf(artifact.key)}</code>
                      </a>
                    ) : (
                      <code title={artifact.key}>{nameOf(artifact.key)}</code>
                    )}
                  </td>
                  <td>{artifact.kind ?? '—'}</td>
                  <td className="num">{formatBytes(artifact.bytes)}</td>
                  <td>
                    {artifact.status === 'FAILED' ? (
                      <span className="error" title={artifact.errorMessage ?? undefined}>
                        failed{artifact.errorCode ? ` (${artifact.errorCode})` : ''}
                        {artifact.errorMessage ? `: ${artifact.errorMessage}` : ''}
                      </span>
                    ) : (
                      'stored'
                    )}
                  </td>
                  <td>
                    <RelativeTime value={artifact.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
