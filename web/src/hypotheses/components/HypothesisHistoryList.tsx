import { useMutation, useQuery } from '@apollo/client/react';
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { useLiveSubscription } from '../../app/useLiveSubscription';
import { LoadMoreButton } from '../../common/components/LoadMoreButton';
import { RelativeTime } from '../../common/components/RelativeTime';
import { Section } from '../../common/components/Section';
import { StatusBadge } from '../../common/components/StatusBadge';
import { Empty, ErrorState, Loading } from '../../common/components/States';
import { errorMessage } from '../../common/errors';
import { useThrottled } from '../../common/hooks/useThrottled';
import { appendPage } from '../../common/pagination';
import {
  HideHypothesisDocument,
  HypothesisHistoryDocument,
  LaunchRunDocument,
  OnHypothesesChangedDocument,
  UnhideHypothesisDocument,
  type HypothesisListFieldsFragment,
} from '../../gql/graphql';
import { useIdeationsChanged } from '../../ideation/hooks/useIdeationsChanged';
import { useRunsChanged } from '../../runs/hooks/useRunsChanged';
import { isActive } from '../../runs/run-status';

const PAGE = 10;

function HypothesisItem({ hypothesis }: { hypothesis: HypothesisListFieldsFragment }) {
  const [expanded, setExpanded] = useState(false);
  const [confirmHide, setConfirmHide] = useState(false);
  // One key per intended launch: a double click or a retry after a network error launches once.
  const launchKey = useRef<string>(crypto.randomUUID());
  const [launch, launchState] = useMutation(LaunchRunDocument, {
    refetchQueries: [HypothesisHistoryDocument],
    onCompleted: () => {
      launchKey.current = crypto.randomUUID();
    },
  });
  const [hide, hideState] = useMutation(HideHypothesisDocument, { refetchQueries: [HypothesisHistoryDocument] });
  const [unhide, unhideState] = useMutation(UnhideHypothesisDocument, { refetchQueries: [HypothesisHistoryDocument] });
  const active = hypothesis.runs.nodes.filter((r) => isActive(r.status)).length;
  const error = launchState.error ?? hideState.error ?? unhideState.error;
  const long = hypothesis.idea.length > 280;
  const ideating = hypothesis.ideation?.status === 'QUEUED' || hypothesis.ideation?.status === 'RUNNING';

  return (
    <li className="hypothesis" data-hypothesis-id={hypothesis.id}>
      <div className="hypothesis-head">
        <h3>{hypothesis.title}</h3>
        {hypothesis.ideation && (
          <Link
            to={`/ideation?selected=${hypothesis.ideation.requestId}`}
            className="badge-link"
            aria-label={`Ideation ${hypothesis.ideation.status.toLowerCase()}`}
          >
            <StatusBadge status={hypothesis.ideation.status} className="badge-outline" /> ideation
          </Link>
        )}
        {hypothesis.seed && <span className="badge badge-muted">demo</span>}
        {hypothesis.hidden && <span className="badge badge-muted">hidden</span>}
      </div>
      <p className="muted">
        by {hypothesis.createdBy} · <RelativeTime value={hypothesis.createdAt} />
        {hypothesis.ideation && ` · ideation with ${hypothesis.ideation.reflections} reflection${hypothesis.ideation.reflections === 1 ? '' : 's'}`}
        {hypothesis.chatGptUrl && (
          <>
            {' · '}
            <a href={hypothesis.chatGptUrl} target="_blank" rel="noreferrer">
              ChatGPT conversation
            </a>
          </>
        )}
      </p>
      <p className={expanded || !long ? 'idea' : 'idea idea-clamped'}>{hypothesis.idea}</p>
      {long && (
        <button type="button" className="link-button" aria-expanded={expanded} onClick={() => setExpanded(!expanded)}>
          {expanded ? 'Show less' : 'Show more'}
        </button>
      )}
      <div className="hypothesis-runs">
        <span className="muted">
          {hypothesis.runs.totalCount} run{hypothesis.runs.totalCount === 1 ? '' : 's'}
          {hypothesis.runs.totalCount > 0 && ':'}
        </span>
        <ul className="run-links">
          {hypothesis.runs.nodes.map((run) => (
            <li key={run.id}>
              <Link to={`/runs/${run.id}`} aria-label={`Run ${run.status.toLowerCase()}, created ${new Date(run.createdAt).toLocaleString()}`}>
                <StatusBadge status={run.status} /> <RelativeTime value={run.createdAt} />
              </Link>
            </li>
          ))}
        </ul>
        {hypothesis.runs.totalCount > hypothesis.runs.nodes.length && <Link to={`/overview?hypothesis=${hypothesis.id}`}>all runs →</Link>}
      </div>
      <div className="row">
        {!hypothesis.hidden && (
          <button
            title={ideating ? 'The ideation must finish first' : undefined}
            type="button"
            className="button button-small"
            disabled={launchState.loading || ideating}
            onClick={() => void launch({ variables: { hypothesisId: hypothesis.id, idempotencyKey: launchKey.current } }).catch(() => undefined)}
          >
            {launchState.loading ? 'Launching…' : hypothesis.runs.totalCount > 0 ? 'Relaunch' : 'Launch run'}
          </button>
        )}
        {hypothesis.hidden ? (
          <button
            type="button"
            className="button button-small button-ghost"
            disabled={unhideState.loading}
            onClick={() => void unhide({ variables: { id: hypothesis.id } }).catch(() => undefined)}
          >
            Unhide
          </button>
        ) : confirmHide ? (
          <span className="confirm-inline" role="group" aria-label="Confirm hide">
            {active > 0 ? `Hiding cancels ${active === 1 ? 'its active run' : `its ${active} active runs`}.` : 'Hide this hypothesis?'}
            <button
              type="button"
              className="button button-small button-danger"
              disabled={hideState.loading}
              onClick={() =>
                void hide({ variables: { id: hypothesis.id } }).then(
                  () => setConfirmHide(false),
                  () => undefined,
                )
              }
            >
              Hide
            </button>
            <button type="button" className="button button-small button-ghost" onClick={() => setConfirmHide(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" className="button button-small button-ghost" onClick={() => setConfirmHide(true)}>
            Hide…
          </button>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {errorMessage(error)}
        </p>
      )}
    </li>
  );
}

/** Hypotheses, newest first, paged; each with its latest runs, launch/relaunch and hide. Live. */
export function HypothesisHistoryList() {
  const [showHidden, setShowHidden] = useState(false);
  const { data, error, loading, refetch, fetchMore, updateQuery } = useQuery(HypothesisHistoryDocument, {
    variables: { first: PAGE, hidden: showHidden },
  });
  const connection = data?.hypotheses;

  const refresh = useThrottled(() => void refetch().catch(() => undefined), 1000);

  // A hypothesis created elsewhere, or moved in or out of this list (hidden, shown again).
  useLiveSubscription(
    OnHypothesesChangedDocument,
    {},
    ({ hypothesesChanged: hypothesis }) => {
      const listed = connection?.nodes.some((h) => h.id === hypothesis.id) ?? false;
      if (listed !== (hypothesis.hidden === showHidden)) refresh();
    },
    { onResume: refresh },
  );
  // A new run goes to the top of its hypothesis's runs; listed runs update in the cache.
  useRunsChanged((run) =>
    updateQuery((_, { previousData, complete }) => {
      if (!complete) return undefined;
      const index = previousData.hypotheses.nodes.findIndex((h) => h.id === run.hypothesis.id);
      if (index === -1) return undefined;
      const hypothesis = previousData.hypotheses.nodes[index];
      if (hypothesis.runs.nodes.some((r) => r.id === run.id)) return undefined;
      const runs = {
        ...hypothesis.runs,
        totalCount: hypothesis.runs.totalCount + 1,
        nodes: [{ __typename: 'Run' as const, id: run.id, status: run.status, createdAt: run.createdAt }, ...hypothesis.runs.nodes].slice(0, 5),
      };
      const nodes = [...previousData.hypotheses.nodes];
      nodes[index] = { ...hypothesis, runs };
      return { hypotheses: { ...previousData.hypotheses, nodes } };
    }),
  );
  // Ideation badges: each change carries its hypothesis's ideation, which updates the cache.
  useIdeationsChanged(() => undefined);

  return (
    <Section
      title={`${showHidden ? 'Hidden hypotheses' : 'Hypotheses'}${connection ? ` (${connection.totalCount})` : ''}`}
      id="hypotheses"
      actions={
        <label className="inline-label">
          <input type="checkbox" checked={showHidden} onChange={(e) => setShowHidden(e.target.checked)} /> show hidden
        </label>
      }
    >
      {error && !connection ? (
        <ErrorState what="the hypotheses" error={error} onRetry={() => void refetch()} />
      ) : !connection ? (
        <Loading what="hypotheses" />
      ) : connection.nodes.length === 0 ? (
        <Empty>{showHidden ? 'No hidden hypotheses.' : 'No hypotheses yet. Submit one above to start a run.'}</Empty>
      ) : (
        <>
          {error && <p className="error">{errorMessage(error)}</p>}
          <ul className="hypotheses">
            {connection.nodes.map((h) => (
              <HypothesisItem key={h.id} hypothesis={h} />
            ))}
          </ul>
          <LoadMoreButton
            pageInfo={connection.pageInfo}
            loading={loading}
            onLoad={(after) =>
              fetchMore({
                variables: { after },
                updateQuery: (previous, { fetchMoreResult }) => ({ hypotheses: appendPage(previous.hypotheses, fetchMoreResult.hypotheses, (h) => h.id) }),
              })
            }
          >
            {loading ? 'Loading…' : `Show more (${connection.totalCount - connection.nodes.length} older)`}
          </LoadMoreButton>
        </>
      )}
    </Section>
  );
}
