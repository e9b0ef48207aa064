import { RunStatus } from './run.js';
import { canTransition, isTerminal, RUN_TRANSITIONS, sourcesOf } from './run-state-machine.js';

const S = RunStatus;

describe('run state machine', () => {
  it.each([
    [S.QUEUED, S.SCHEDULED],
    [S.SCHEDULED, S.RUNNING],
    [S.RUNNING, S.COMPLETED],
    [S.COMPLETED, S.AWAITING_HUMAN],
    [S.AWAITING_HUMAN, S.HUMAN_VALIDATED],
  ])('allows %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it.each([
    [S.QUEUED, S.RUNNING],
    [S.AWAITING_HUMAN, S.COMPLETED],
    [S.FAILED, S.QUEUED],
    [S.CANCELED, S.CANCELED],
    [S.HUMAN_VALIDATED, S.FAILED],
  ])('refuses %s -> %s', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it('treats exactly HUMAN_VALIDATED, FAILED and CANCELED as terminal', () => {
    const terminal = Object.values(RunStatus).filter(isTerminal).sort();
    expect(terminal).toEqual([S.CANCELED, S.FAILED, S.HUMAN_VALIDATED]);
  });

  it('lists the sources of a move as the inverse of the table', () => {
    expect(sourcesOf(S.CANCELED).sort()).toEqual(
      [S.QUEUED, S.SCHEDULED, S.STARTING, S.RUNNING, S.AUTO_VALIDATING, S.AWAITING_HUMAN, S.COMPLETED].sort(),
    );
    expect(sourcesOf(S.QUEUED)).toEqual([]);
    for (const [from, targets] of Object.entries(RUN_TRANSITIONS)) {
      for (const to of targets) expect(sourcesOf(to)).toContain(from);
    }
  });
});
