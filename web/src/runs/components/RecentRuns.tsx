import { useMutation, useQuery } from '@apollo/client/react';
import { CancelRunDocument, RecentRunsDocument, type RunStatus } from '../../gql/graphql';

const FINAL: RunStatus[] = ['HUMAN_VALIDATED', 'FAILED', 'CANCELED'];

/** The newest runs with their status; each non-final run can be canceled. */
export function RecentRuns() {
  const { data, loading, error, refetch, fetchMore } = useQuery(RecentRunsDocument, { variables: { first: 20 } });
  const [cancel] = useMutation(CancelRunDocument);

  if (loading && !data) return <section className="card">Loading runs…</section>;
  if (error) {
    return (
      <section className="card error">
        Could not load runs: {error.message} <button onClick={() => void refetch()}>Retry</button>
      </section>
    );
  }
  const runs = data?.runs;
  return (
    <section className="card">
      <h2>Runs ({runs?.totalCount ?? 0})</h2>
      {runs?.nodes.length === 0 && <p>No runs yet. Submit a hypothesis above.</p>}
      <table>
        <thead>
          <tr>
            <th>Hypothesis</th>
            <th>Status</th>
            <th>Created</th>
            <th>By</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {runs?.nodes.map((run) => (
            <tr key={run.id}>
              <td>{run.hypothesis.title}</td>
              <td>
                <span className={`status status-${run.status.toLowerCase()}`}>{run.status}</span>
              </td>
              <td title={run.createdAt}>{new Date(run.createdAt).toLocaleString()}</td>
              <td>{run.createdBy}</td>
              <td>
                {!FINAL.includes(run.status) && (
                  <button onClick={() => void cancel({ variables: { id: run.id } }).catch(() => undefined)}>Cancel</button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {runs?.pageInfo.hasNextPage && (
        <button
          onClick={() =>
            void fetchMore({
              variables: { after: runs.pageInfo.endCursor },
              updateQuery: (previous, { fetchMoreResult }) => ({
                runs: { ...fetchMoreResult.runs, nodes: [...previous.runs.nodes, ...fetchMoreResult.runs.nodes] },
              }),
            })
          }
        >
          Load more
        </button>
      )}
    </section>
  );
}
