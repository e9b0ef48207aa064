import { NetworkStatus } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { useState } from 'react';
import { useKeepSubscribed } from '../../app/useKeepSubscribed';
import { RelativeTime } from '../../common/components/RelativeTime';
import { Section } from '../../common/components/Section';
import { Empty, ErrorState, Loading } from '../../common/components/States';
import { formatExact } from '../../common/format';
import { OnRunEventAppendedDocument, RunEventsDocument, type RunEventFieldsFragment } from '../../gql/graphql';
import { EVENT_TYPES, typesOf, type EventTypeFilter } from '../event-types';

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
            const event = subscriptionData.data.runEventAppended;
            if (!complete || !previousData.run) return undefined;
            const held = previousData.run.events;
            if (held.nodes.some((e) => e.seq >= event.seq)) return undefined;
            return { run: { ...previousData.run, events: { ...held, totalCount: held.totalCount + 1, nodes: [event, ...held.nodes] } } };
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
          {connection.pageInfo.hasNextPage && (
            <button
              type="button"
              className="button button-ghost"
              disabled={loading}
              onClick={() =>
                void fetchMore({
                  variables: { after: connection.pageInfo.endCursor },
                  updateQuery: (previous, { fetchMoreResult }) => {
                    if (!previous.run || !fetchMoreResult.run) return previous;
                    const known = new Set(previous.run.events.nodes.map((e) => e.seq));
                    const older = fetchMoreResult.run.events;
                    return {
                      run: {
                        ...previous.run,
                        events: {
                          ...older,
                          totalCount: previous.run.events.totalCount,
                          nodes: [...previous.run.events.nodes, ...older.nodes.filter((e) => !known.has(e.seq))],
                        },
                      },
                    };
                  },
                }).catch(() => undefined)
              }
            >
              {loading ? 'Loading…' : 'Load older events'}
            </button>
          )}
        </>
      )}
    </Section>
  );
}
