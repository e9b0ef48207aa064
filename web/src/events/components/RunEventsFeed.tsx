import { NetworkStatus } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { useKeepSubscribed } from '../../app/useKeepSubscribed';
import { LoadMoreButton } from '../../common/components/LoadMoreButton';
import { RelativeTime } from '../../common/components/RelativeTime';
import { Section } from '../../common/components/Section';
import { Empty, ErrorState, Loading } from '../../common/components/States';
import { formatExact } from '../../common/format';
import { appendPage } from '../../common/pagination';
import { OnRunEventAppendedDocument, RunEventsDocument, type RunEventFieldsFragment } from '../../gql/graphql';
import { EVENT_TYPES, typesOf, type EventTypeFilter } from '../event-types';
import { withLiveEvent } from '../live-events';

const PAGE = 50;

function EventRow({ event }: { event: RunEventFieldsFragment }) {
  return (
    <li className={`event${event.known ? '' : ' event-unknown'}`} data-type={event.type}>
      <details>
        <summary>
          <span className="event-seq">#{event.seq}</span>
          <code className="event-type">{event.type}</code>
          {event.level && <span className={`chip-inline log-${event.level.toLowerCase()}`}>{event.level}</span>}
          {!event.known && <span className="badge badge-muted">unknown type</span>}
          {event.outcome && <span className="event-outcome">{event.outcome}</span>}
          <span className="event-time">
            <RelativeTime value={event.time} />
          </span>
        </summary>
        <div className="event-body">
          <dl className="facts facts-compact">
            <div>
              <dt>Source</dt>
              <dd>
                <code>{event.source}</code>
                {event.sourceSeq != null && ` (seq ${event.sourceSeq})`}
              </dd>
            </div>
            <div>
              <dt>Time</dt>
              <dd>{formatExact(new Date(event.time))}</dd>
            </div>
            <div>
              <dt>Received</dt>
              <dd>{formatExact(new Date(event.receivedAt))}</dd>
            </div>
            <div>
              <dt>Id</dt>
              <dd>
                <code>{event.id}</code>
              </dd>
            </div>
          </dl>
          <pre className="json">{JSON.stringify(event.data, null, 2)}</pre>
        </div>
      </details>
    </li>
  );
}

/** Every event of a run, newest first, each with its data expandable; a type filter; live. */
export function RunEventsFeed({ runId }: { runId: string }) {
  const [filter, setFilter] = useState<EventTypeFilter>('no-logs');
  const types = typesOf(filter);
  const { data, error, loading, refetch, fetchMore, subscribeToMore, networkStatus } = useQuery(RunEventsDocument, {
    variables: { runId, first: PAGE, types },
    notifyOnNetworkStatusChange: true,
  });
  const connection = data?.run?.events;
  const ready = !!connection && networkStatus !== NetworkStatus.setVariables && networkStatus !== NetworkStatus.loading;

  useKeepSubscribed(
    ready,
    {
      start: (fail) =>
        subscribeToMore({
          document: OnRunEventAppendedDocument,
          variables: { runId, types, afterSeq: connection?.nodes[0]?.seq ?? 0 },
          updateQuery: (_, { previousData, complete, subscriptionData }) => {
            if (!complete || !previousData.run) return undefined;
            const events = withLiveEvent(previousData.run.events, subscriptionData.data.runEventAppended, 'first');
            return events && { run: { ...previousData.run, events } };
          },
          onError: fail,
        }),
    },
    [runId, filter],
  );

  return (
    <Section
      title={`Events${connection ? ` (${connection.totalCount.toLocaleString('en')})` : ''}`}
      id="events"
      actions={
        <label className="inline-label">
          Type{' '}
          <select value={filter} onChange={(e) => setFilter(e.target.value as EventTypeFilter)}>
            <option value="no-logs">all but log lines</option>
            <option value="all">all</option>
            {EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
      }
    >
      {error && !connection ? (
        <ErrorState what="the events" error={error} onRetry={() => void refetch()} />
      ) : !connection ? (
        <Loading what="events" />
      ) : connection.nodes.length === 0 ? (
        <Empty>No events{filter === 'all' ? '' : ' of this kind'} yet.</Empty>
      ) : (
        <>
          <ol className="events" aria-label="Run events, newest first">
            {connection.nodes.map((event) => (
              <EventRow key={event.id} event={event} />
            ))}
          </ol>
          <LoadMoreButton
            pageInfo={connection.pageInfo}
            loading={loading}
            onLoad={(after) =>
              fetchMore({
                variables: { after },
                updateQuery: (previous, { fetchMoreResult }) => {
                  if (!previous.run || !fetchMoreResult.run) return previous;
                  const held = previous.run.events;
                  // The total held already counts the events received live.
                  return { run: { ...previous.run, events: { ...appendPage(held, fetchMoreResult.run.events, (e) => e.seq), totalCount: held.totalCount } } };
                },
              })
            }
          >
            {loading ? 'Loading…' : 'Load older events'}
          </LoadMoreButton>
        </>
      )}
    </Section>
  );
}
