import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ArtifactFieldsFragment } from '../../gql/graphql';
import { PlotGallery, plotsOf } from './PlotGallery';

const artifact = (name: string, over: Partial<ArtifactFieldsFragment> = {}): ArtifactFieldsFragment => ({
  key: `runs/r1/plots/${name}`,
  runId: 'r1',
  url: `http://files/${name}?sig=1`,
  kind: 'plot',
  status: 'REGISTERED',
  bytes: 2048,
  contentType: 'image/png',
  sha256: null,
  errorCode: null,
  errorMessage: null,
  createdAt: '2026-01-01T09:00:00.000Z',
  updatedAt: '2026-01-01T09:00:00.000Z',
  ...over,
});

const plots = [artifact('loss.png'), artifact('accuracy.png'), artifact('lr.png')];

describe('PlotGallery', () => {
  beforeAll(() => {
    // jsdom has no animation frames: run them at once.
    jest.spyOn(window, 'requestAnimationFrame').mockImplementation((cb) => {
      cb(0);
      return 0;
    });
  });

  it('shows only stored images', () => {
    const all = [...plots, artifact('paper.pdf', { kind: 'paper', contentType: 'application/pdf' }), artifact('broken.png', { status: 'FAILED', url: null })];
    expect(plotsOf(all).map((a) => a.key.split('/').pop())).toEqual(['loss.png', 'accuracy.png', 'lr.png']);
  });

  it('opens a plot in a lightbox, moves with the arrow keys and returns focus on Escape', async () => {
    render(<PlotGallery artifacts={plots} />);
    await userEvent.click(screen.getByRole('button', { name: 'Open accuracy.png' }));
    const dialog = screen.getByRole('dialog', { name: 'accuracy.png' });
    expect(dialog).toHaveTextContent('2 / 3');
    expect(screen.getByRole('button', { name: 'Close' })).toHaveFocus();

    await userEvent.keyboard('{ArrowRight}');
    expect(screen.getByRole('dialog', { name: 'lr.png' })).toHaveTextContent('3 / 3');
    await userEvent.keyboard('{ArrowRight}');
    expect(screen.getByRole('dialog', { name: 'loss.png' })).toBeInTheDocument();
    await userEvent.keyboard('{ArrowLeft}');
    expect(screen.getByRole('dialog', { name: 'lr.png' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Download' })).toHaveAttribute('href', 'http://files/lr.png?sig=1');

    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Open lr.png' })).toHaveFocus();
  });

  it('asks once for fresh URLs when an image fails to load (its link expired)', () => {
    const onStale = jest.fn();
    render(<PlotGallery artifacts={plots} onStale={onStale} />);
    for (const img of screen.getAllByRole('img')) img.dispatchEvent(new Event('error'));
    expect(onStale).toHaveBeenCalledTimes(1);
  });
});
