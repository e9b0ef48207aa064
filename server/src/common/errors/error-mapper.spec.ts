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

    it('maps store, Redis and disk faults to 503 with a reason and a retry delay', () => {
      const sqlite = (code: string) => Object.assign(new Error('database is locked'), { name: 'SqliteError', code });
      expect(describeError(sqlite('SQLITE_BUSY'))).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', reason: 'STORE_BUSY', details: { retryAfterS: 1 }, unexpected: true });
      expect(describeError(sqlite('SQLITE_BUSY_SNAPSHOT'))).toMatchObject({ reason: 'STORE_BUSY' });
      expect(describeError(sqlite('SQLITE_FULL'))).toMatchObject({ status: 503, reason: 'STORE_UNAVAILABLE', message: expect.stringContaining('SQLITE_FULL') });
      expect(describeError(sqlite('SQLITE_IOERR_WRITE'))).toMatchObject({ status: 503, reason: 'STORE_UNAVAILABLE' });
      expect(describeError(sqlite('SQLITE_CONSTRAINT_UNIQUE'))).toMatchObject({ status: 500 });
      const redis = Object.assign(new Error('Reached the max retries per request limit (which is 3). Refer to "maxRetriesPerRequest" option for details.'), { name: 'MaxRetriesPerRequestError' });
      expect(describeError(redis)).toMatchObject({ status: 503, reason: 'REDIS_UNAVAILABLE' });
      expect(describeError(new Error('Connection is closed.'))).toMatchObject({ status: 503, reason: 'REDIS_UNAVAILABLE' });
      expect(describeError(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }))).toMatchObject({ status: 503, reason: 'DISK_UNAVAILABLE' });
      expect(describeError(Object.assign(new Error('x'), { name: 'MongoServerSelectionError' }))).toMatchObject({ status: 503, reason: 'STORE_UNAVAILABLE' });
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
