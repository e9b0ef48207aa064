import { jest } from '@jest/globals';
import type { PinoLogger } from 'nestjs-pino';
import { aRun } from '../../test/support/factories.js';
import { strictMock } from '../../test/support/strict-mock.js';
import { illegalTransition } from '../runs/runs.errors.js';
import { type Run, RunStatus } from '../runs/run.js';
import type { RunsService } from '../runs/runs.service.js';
import { newHumanValidation, Verdict } from './validation.js';
import { ValidationService } from './validation.service.js';
import type { ValidationsRepository } from './validations.repository.js';

const logger = strictMock<PinoLogger>({ setContext: () => undefined, info: () => undefined }, 'logger');
const hypothesisId = '11111111-1111-4111-8111-111111111111';
const command = (runId: string) => ({ runId, verdict: Verdict.PASS, scores: [{ name: 'novelty', score: 7 }], notes: null, reviewer: 'alice' });

function service(validations: Partial<ValidationsRepository>, runs: Partial<RunsService>) {
  return new ValidationService(strictMock<ValidationsRepository>(validations, 'validations'), strictMock<RunsService>(runs, 'runs'), logger);
}

describe('ValidationService', () => {
  describe('submitHuman', () => {
    it('inserts the review first, then moves the run from AWAITING_HUMAN or COMPLETED to HUMAN_VALIDATED', async () => {
      const run = aRun({ hypothesisId, status: RunStatus.AWAITING_HUMAN });
      const calls: string[] = [];
      const transition = jest.fn(async (): Promise<Run> => {
        calls.push('transition');
        return { ...run, status: RunStatus.HUMAN_VALIDATED };
      });
      const validation = service(
        { insertHuman: async () => (calls.push('insert'), true) },
        { get: async () => run, transition },
      );
      const result = await validation.submitHuman(command(run.id));
      expect(calls).toEqual(['insert', 'transition']);
      expect(result.run.status).toBe(RunStatus.HUMAN_VALIDATED);
      expect(transition).toHaveBeenCalledWith(run.id, expect.objectContaining({
        to: RunStatus.HUMAN_VALIDATED,
        from: [RunStatus.AWAITING_HUMAN, RunStatus.COMPLETED],
        by: 'alice',
        reason: 'human validation: PASS',
      }));
    });

    it('takes the review back when the run moved meanwhile (canceled), and reports the conflict', async () => {
      const run = aRun({ hypothesisId, status: RunStatus.AWAITING_HUMAN });
      const deleteHuman = jest.fn(async () => true);
      const states = [run, { ...run, status: RunStatus.CANCELED }];
      const validation = service(
        { insertHuman: async () => true, deleteHuman },
        {
          get: async () => states.shift()!,
          transition: async () => Promise.reject(illegalTransition(run.id, RunStatus.CANCELED, RunStatus.HUMAN_VALIDATED)),
        },
      );
      await expect(validation.submitHuman(command(run.id))).rejects.toMatchObject({ reason: 'ILLEGAL_RUN_TRANSITION' });
      expect(deleteHuman).toHaveBeenCalledWith(run.id);
    });

    it('keeps the review when a concurrent call completed the status change for it', async () => {
      const run = aRun({ hypothesisId, status: RunStatus.AWAITING_HUMAN });
      const states = [run, { ...run, status: RunStatus.HUMAN_VALIDATED }];
      const validation = service(
        { insertHuman: async () => true },
        {
          get: async () => states.shift()!,
          transition: async () => Promise.reject(illegalTransition(run.id, RunStatus.HUMAN_VALIDATED, RunStatus.HUMAN_VALIDATED)),
        },
      );
      expect((await validation.submitHuman(command(run.id))).run.status).toBe(RunStatus.HUMAN_VALIDATED);
    });

    it('finishes a recorded review whose status change was lost (a crash), and refuses the new one', async () => {
      const run = aRun({ hypothesisId, status: RunStatus.AWAITING_HUMAN });
      const earlier = newHumanValidation({ runId: run.id, verdict: Verdict.FAIL, scores: [], notes: null, reviewer: 'bob', at: new Date() });
      const transition = jest.fn(async (): Promise<Run> => ({ ...run, status: RunStatus.HUMAN_VALIDATED }));
      const validation = service(
        { insertHuman: async () => false, findHuman: async () => earlier },
        { get: async () => run, transition },
      );
      await expect(validation.submitHuman(command(run.id))).rejects.toMatchObject({ kind: 'CONFLICT', reason: 'RUN_ALREADY_REVIEWED' });
      expect(transition).toHaveBeenCalledWith(run.id, expect.objectContaining({ by: 'bob', reason: 'human validation: FAIL' }));
    });

    it.each([RunStatus.RUNNING, RunStatus.AUTO_VALIDATING, RunStatus.FAILED, RunStatus.CANCELED, RunStatus.QUEUED])(
      'refuses a %s run without writing anything',
      async (status) => {
        const run = aRun({ hypothesisId, status });
        const validation = service({}, { get: async () => run });
        await expect(validation.submitHuman(command(run.id))).rejects.toMatchObject({ kind: 'CONFLICT', reason: 'RUN_NOT_AWAITING_REVIEW', details: { status } });
      },
    );

    it('refuses a HUMAN_VALIDATED run, naming the review it has', async () => {
      const run = aRun({ hypothesisId, status: RunStatus.HUMAN_VALIDATED });
      const earlier = newHumanValidation({ runId: run.id, verdict: Verdict.PASS, scores: [], notes: null, reviewer: 'bob', at: new Date() });
      const validation = service({ findHuman: async () => earlier }, { get: async () => run });
      await expect(validation.submitHuman(command(run.id))).rejects.toMatchObject({ reason: 'RUN_ALREADY_REVIEWED', details: { reviewer: 'bob' } });
    });
  });
});
