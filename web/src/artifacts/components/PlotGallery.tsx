import { useEffect, useRef, useState } from 'react';
import { Section } from '../../common/components/Section';
import type { ArtifactFieldsFragment } from '../../gql/graphql';

const nameOf = (key: string) => key.split('/').pop() ?? key;

/** Images a run produced (plots, figures) as they are registered. */
export function plotsOf(artifacts: readonly ArtifactFieldsFragment[]): ArtifactFieldsFragment[] {
  return artifacts.filter(
    (a) =>
      a.status === 'REGISTERED' &&
      a.url &&
      (a.kind === 'plot' || a.kind === 'figure' || (a.contentType ?? '').startsWith('image/')) &&
      !(a.contentType ?? '').includes('pdf'),
  );
}

/**
 * Thumbnails of the run's plots; one opens in a lightbox (arrow keys move, Escape closes and
 * returns focus to its thumbnail). `onStale` is called when an image's download URL has expired.
 */
export function PlotGallery({ artifacts, onStale }: { artifacts: readonly ArtifactFieldsFragment[]; onStale?: () => void }) {
  const plots = plotsOf(artifacts);
  const [open, setOpen] = useState<number | null>(null);
  const thumbnails = useRef<(HTMLButtonElement | null)[]>([]);
  const closeButton = useRef<HTMLButtonElement>(null);
  const staleReported = useRef(false);
  const reportStale = () => {
    if (staleReported.current) return;
    staleReported.current = true;
    onStale?.();
  };

  const close = () => {
    const index = open;
    setOpen(null);
    if (index !== null) requestAnimationFrame(() => thumbnails.current[index]?.focus());
  };

  useEffect(() => {
    if (open === null) return;
    closeButton.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close();
      else if (event.key === 'ArrowRight') setOpen((i) => (i === null ? i : (i + 1) % plots.length));
      else if (event.key === 'ArrowLeft') setOpen((i) => (i === null ? i : (i - 1 + plots.length) % plots.length));
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, plots.length]);

  const current = open !== null ? plots[open] : undefined;
  return (
    <Section title={`Plots (${plots.length})`} id="plots">
      {plots.length === 0 ? (
        <p className="muted">No plot yet. They appear here as the worker uploads them.</p>
      ) : (
        <ul className="gallery">
          {plots.map((plot, index) => (
            <li key={plot.key}>
              <button
                type="button"
                className="thumbnail"
                ref={(el) => {
                  thumbnails.current[index] = el;
                }}
                onClick={() => setOpen(index)}
                aria-label={`Open ${nameOf(plot.key)}`}
              >
                <img src={plot.url!} alt={nameOf(plot.key)} loading="lazy" onError={reportStale} />
                <span className="thumbnail-name">{nameOf(plot.key)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {current && (
        <div className="lightbox" role="dialog" aria-modal="true" aria-label={nameOf(current.key)} onClick={(e) => e.target === e.currentTarget && close()}>
          <div className="lightbox-frame">
            <header className="lightbox-bar">
              <span>
                {nameOf(current.key)} · {open! + 1} / {plots.length}
              </span>
              <span className="row">
                <button
                  type="button"
                  className="button button-small button-ghost"
                  onClick={() => setOpen((open! - 1 + plots.length) % plots.length)}
                  aria-label="Previous plot"
                >
                  ←
                </button>
                <button type="button" className="button button-small button-ghost" onClick={() => setOpen((open! + 1) % plots.length)} aria-label="Next plot">
                  →
                </button>
                <a className="button button-small button-ghost" href={current.url!} download={nameOf(current.key)}>
                  Download
                </a>
                <button type="button" ref={closeButton} className="button button-small" onClick={close}>
                  Close
                </button>
              </span>
            </header>
            <img className="lightbox-image" src={current.url!} alt={nameOf(current.key)} onError={reportStale} />
          </div>
        </div>
      )}
    </Section>
  );
}
