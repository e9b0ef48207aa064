import { HttpStatus, NotFoundException } from '@nestjs/common';
import { DomainError, ErrorKind } from './domain-error.js';
import { describeError, statusOf, toProblem } from './error-mapper.js';

describe('error mapper', () => {
  describe('statusOf', () => {
    it('maps every kind to a 4xx or 503 status', () => {
      for (const kind of Object.values(ErrorKind)) {
        const status = statusOf(kind);
        expect(status === 503 || (status >= 400 && status < 500)).toBe(true);
      }
      expect(statusOf(ErrorKind.Conflict)).toBe(HttpStatus.CONFLICT);
    });
  });

  describe('describeError', () => {
    it('keeps a domain error\'s kind, reason, message and details', () => {
      const description = describeError(new DomainError(ErrorKind.Conflict, 'ILLEGAL_RUN_TRANSITION', 'Run x is FAILED', { from: 'FAILED' }));
      expect(description).toEqual({
        status: 409,
        code: 'CONFLICT',
        reason: 'ILLEGAL_RUN_TRANSITION',
        message: 'Run x is FAILED',
        details: { from: 'FAILED' },
        unexpected: false,
      });
    });

    it('maps framework HTTP exceptions and body-parser errors by status', () => {
      expect(describeError(new NotFoundException('Cannot GET /x'))).toMatchObject({ status: 404, code: 'NOT_FOUND', unexpected: false });
      const tooLarge = Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413 });
      expect(describeError(tooLarge)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', unexpected: false });
    });

    it('masks anything else as a 500 without its message', () => {
      const description = describeError(new Error('connection string mongodb://user:secret@db'));
      expect(description).toMatchObject({ status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error', unexpected: true });
    });
  });

  describe('toProblem', () => {
    it('writes RFC 9457 problem details with the details inline', () => {
      const problem = toProblem(describeError(new DomainError(ErrorKind.NotFound, 'RUN_NOT_FOUND', 'Run r not found', { runId: 'r' })), '/api/runs/r');
      expect(problem).toEqual({
        type: 'urn:orchestrator:error:run-not-found',
        title: 'Not Found',
        status: 404,
        detail: 'Run r not found',
        code: 'NOT_FOUND',
        reason: 'RUN_NOT_FOUND',
        instance: '/api/runs/r',
        runId: 'r',
      });
    });
  });
});
