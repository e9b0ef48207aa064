import { RelativeTime } from '../../common/components/RelativeTime';
import { formatBytes } from '../../common/format';
import type { ArtifactFieldsFragment, RunPaperFieldsFragment } from '../../gql/graphql';

/** The paper's state: being written (again), or ready with its PDF and the run's archive to download. */
export function FinalPdfBanner({ run, archive }: { run: RunPaperFieldsFragment; archive?: ArtifactFieldsFragment }) {
  const { paper, paperArtifact, writeup } = run;
  if (writeup?.active) {
    return (
      <section className="banner banner-info" aria-live="polite" data-testid="paper-banner">
        <strong>Writing the paper again</strong> (retry {writeup.count}, asked by {writeup.requestedBy} <RelativeTime value={writeup.requestedAt} />
        )…
      </section>
    );
  }
  if (!paper && !paperArtifact) return null;
  if (paper?.status === 'WRITING') {
    return (
      <section className="banner banner-info" aria-live="polite" data-testid="paper-banner">
        <strong>Writing the paper…</strong> started <RelativeTime value={paper.at} />
      </section>
    );
  }
  return (
    <section className="banner banner-success" aria-live="polite" data-testid="paper-banner">
      <div>
        <strong>Paper ready.</strong> {paper?.wordCount != null && <>{paper.wordCount.toLocaleString('en')} words, </>}
        {paper && (
          <>
            generated <RelativeTime value={paper.at} />.
          </>
        )}
      </div>
      <div className="row">
        {paperArtifact?.url && (
          <a className="button button-small" href={paperArtifact.url} target="_blank" rel="noreferrer">
            Paper (PDF{paperArtifact.bytes != null ? `, ${formatBytes(paperArtifact.bytes)}` : ''})
          </a>
        )}
        {archive?.url && (
          <a className="button button-small button-ghost" href={archive.url} download>
            Archive{archive.bytes != null ? ` (${formatBytes(archive.bytes)})` : ''}
          </a>
        )}
      </div>
    </section>
  );
}
