import { useQuery } from '@apollo/client/react';
import { useSearchParams } from 'react-router';
import { LoadMoreButton } from '../../common/components/LoadMoreButton';
import { RelativeTime } from '../../common/components/RelativeTime';
import { StatusBadge } from '../../common/components/StatusBadge';
import { Empty, ErrorState, Loading } from '../../common/components/States';
import { humanize } from '../../common/format';
import { usePageTitle } from '../../common/hooks/usePageTitle';
import { useThrottled } from '../../common/hooks/useThrottled';
import { appendPage } from '../../common/pagination';
import { IdeationsDocument, type IdeationStatus } from '../../gql/graphql';
import { IdeationDetail } from '../components/IdeationDetail';
import { useIdeationsChanged } from '../hooks/useIdeationsChanged';

const STATUSES: IdeationStatus[] = ['QUEUED', 'RUNNING', 'COMPLETED', 'FAILED'];
const PAGE = 50;

/**
 * Ideation requests: status chips with counts, the list, and the selected request's ideas. Live:
 * listed requests update in the cache as they change; a change refetches the page for the counts
 * and for requests that moved between status filters.
 */
export function IdeationPage() {
  usePageTitle('Ideation');
  const [params, setParams] = useSearchParams();
  const status = STATUSES.find((s) => s === params.get('status')) ?? null;
  const selected = params.get('selected');
  const { data, error, refetch, fetchMore } = useQuery(IdeationsDocument, { variables: { first: PAGE, status } });
  const refresh = useThrottled(() => void refetch().catch(() => undefined), 1000);
  useIdeationsChanged(refresh, { onResume: refresh });

  const update = (patch: Record<string, string | null>) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) next.delete(key);
        else next.set(key, value);
      }
      return next;
    });

  const ideations = data?.ideations;
  const counts = ideations?.countsByStatus;
  return (
    <div className="ideation-page">
      <h1>Ideation queue</h1>
      <fieldset className="chips" aria-label="Filter by status">
        <legend className="visually-hidden">Status</legend>
        <button type="button" className="chip" aria-pressed={status === null} onClick={() => update({ status: null })}>
          All <span className="chip-count">{counts?.total ?? '…'}</span>
        </button>
        {STATUSES.map((s) => (
          <button key={s} type="button" className="chip" aria-pressed={status === s} onClick={() => update({ status: s })}>
            {humanize(s)} <span className="chip-count">{counts ? counts[s.toLowerCase() as 'queued' | 'running' | 'completed' | 'failed'] : '…'}</span>
          </button>
        ))}
      </fieldset>
      <div className={selected ? 'grid grid-2 ideation-layout' : 'ideation-layout'}>
        <section className="card" aria-label="Ideation requests">
          {error && !ideations ? (
            <ErrorState what="the ideation requests" error={error} onRetry={() => void refetch()} />
          ) : !ideations ? (
            <Loading what="ideation requests" />
          ) : ideations.nodes.length === 0 ? (
            <Empty>
              No ideation request
              {status ? ` is ${humanize(status).toLowerCase()}` : ' yet. Tick “Refine the idea with the LLM first” when submitting a hypothesis'}.
            </Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Hypothesis</th>
                    <th scope="col">Status</th>
                    <th scope="col">Reflections</th>
                    <th scope="col">Asked</th>
                    <th scope="col">By</th>
                  </tr>
                </thead>
                <tbody>
                  {ideations.nodes.map((i) => (
                    <tr key={i.id} aria-selected={i.id === selected} className={i.id === selected ? 'selected' : undefined}>
                      <td>
                        <button type="button" className="link-button" onClick={() => update({ selected: i.id })}>
                          {i.hypothesis?.title ?? i.hypothesisId}
                        </button>
                      </td>
                      <td>
                        <StatusBadge status={i.status} />
                        {i.errorCode && <span className="muted"> {i.errorCode}</span>}
                      </td>
                      <td>
                        {i.reflectionsDone} / {i.reflections}
                        {i.autoLaunch && <span className="muted"> · auto-launch</span>}
                      </td>
                      <td>
                        <RelativeTime value={i.createdAt} />
                      </td>
                      <td>{i.createdBy}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <LoadMoreButton
                pageInfo={ideations.pageInfo}
                onLoad={(after) =>
                  fetchMore({
                    variables: { after },
                    updateQuery: (previous, { fetchMoreResult }) => ({ ideations: appendPage(previous.ideations, fetchMoreResult.ideations, (i) => i.id) }),
                  })
                }
              >
                Show more
              </LoadMoreButton>
            </div>
          )}
        </section>
        {selected && <IdeationDetail id={selected} onClose={() => update({ selected: null })} />}
      </div>
    </div>
  );
}
