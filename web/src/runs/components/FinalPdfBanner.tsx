import { RelativeTime } from '../../common/components/RelativeTime';
import type { RunPaperFieldsFragment } from '../../gql/graphql';

/**
 * The paper's state: being written, or generated (word count, when). Downloads of the paper and
 * the archive need artifact URLs from the API (not in the schema yet).
 */
export function FinalPdfBanner({ run }: { run: RunPaperFieldsFragment }) {
  const paper = run.paper;
  if (!paper) return null;
  if (paper.status === 'WRITING') {
    return (
      <section className="banner banner-info" aria-live="polite" data-testid="paper-banner">
        <strong>Writing the paper…</strong> started <RelativeTime value={paper.at} />
      </section>
    );
  }
  return (
    <section className="banner banner-success" aria-live="polite" data-testid="paper-banner">
      <div>
        <strong>Paper ready.</strong> {paper.wordCount != null && <>{paper.wordCount.toLocaleString('en')} words, </>}generated{' '}
        <RelativeTime value={paper.at} />.
      </div>
      {paper.artifactKey && (
        <div className="muted">
          <code>{paper.artifactKey.split('/').pop()}</code>
        </div>
      )}
    </section>
  );
}
