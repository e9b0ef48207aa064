import { render, screen } from '@testing-library/react';
import type { StageProgressFieldsFragment } from '../../gql/graphql';
import { StageProgressPanel } from './StageProgressPanel';
import { clampProgress, stageEta } from './stage-eta';

const NOW = Date.UTC(2026, 0, 1, 10, 0, 0);

function runWith(
  stage: Partial<NonNullable<StageProgressFieldsFragment['currentStage']>> | null,
  status: StageProgressFieldsFragment['status'] = 'RUNNING',
): StageProgressFieldsFragment {
  return {
    status,
    currentStage:
      stage === null
        ? null
        : {
            name: 'STAGE_1',
            progress: 0.3,
            iteration: 3,
            maxIterations: 10,
            goodNodes: 2,
            buggyNodes: 1,
            totalNodes: 3,
            bestMetric: 0.8123,
            etaS: 120,
            updatedAt: new Date(NOW - 30_000).toISOString(),
            ...stage,
          },
  };
}

describe('stageEta', () => {
  it('counts down from the worker estimate since it was reported', () => {
    const eta = stageEta({ etaS: 120, updatedAt: new Date(NOW - 30_000).toISOString() }, NOW);
    expect(eta).toEqual({ remainingS: 90, finishAt: new Date(NOW + 90_000), overdue: false });
  });

  it('is overdue (never negative) once the estimate has run out', () => {
    expect(stageEta({ etaS: 10, updatedAt: new Date(NOW - 60_000).toISOString() }, NOW)).toMatchObject({ remainingS: 0, overdue: true });
  });

  it('is unknown without an estimate', () => {
    expect(stageEta({ etaS: null, updatedAt: new Date(NOW).toISOString() }, NOW)).toBeNull();
    expect(stageEta(null, NOW)).toBeNull();
  });

  it('clamps progress to 0..1', () => {
    expect(clampProgress(1.4)).toBe(1);
    expect(clampProgress(-1)).toBe(0);
    expect(clampProgress(Number.NaN)).toBe(0);
    expect(clampProgress(null)).toBe(0);
  });
});

describe('StageProgressPanel', () => {
  beforeEach(() => {
    jest.useFakeTimers();
    jest.setSystemTime(NOW);
  });
  afterEach(() => jest.useRealTimers());

  it('shows progress, iteration, nodes, best metric and the time left', () => {
    render(<StageProgressPanel run={runWith({})} />);
    expect(screen.getByRole('heading', { name: 'Progress · 1 · Experiments' })).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: '1 · Experiments progress' })).toHaveAttribute('aria-valuenow', '30');
    expect(screen.getByText('3 / 10')).toBeInTheDocument();
    expect(screen.getByText('2 good')).toBeInTheDocument();
    expect(screen.getByText('1 buggy')).toBeInTheDocument();
    expect(screen.getByText('0.8123')).toBeInTheDocument();
    expect(screen.getByTestId('stage-eta')).toHaveTextContent(/about 1m 30s \(until \d\d:\d\d:\d\d\)/);
  });

  it('says "any moment now" once the estimate has passed', () => {
    render(<StageProgressPanel run={runWith({ etaS: 5 })} />);
    expect(screen.getByTestId('stage-eta')).toHaveTextContent('any moment now');
  });

  it('shows no estimate for a run that is no longer working', () => {
    render(<StageProgressPanel run={runWith({}, 'CANCELED')} />);
    expect(screen.getByTestId('stage-eta')).toHaveTextContent('—');
  });

  it('says when the worker has not estimated yet', () => {
    render(<StageProgressPanel run={runWith({ etaS: null })} />);
    expect(screen.getByTestId('stage-eta')).toHaveTextContent('no estimate yet');
  });

  it('says when no stage has started', () => {
    render(<StageProgressPanel run={runWith(null, 'QUEUED')} />);
    expect(screen.getByText('No stage has started yet.')).toBeInTheDocument();
  });
});
