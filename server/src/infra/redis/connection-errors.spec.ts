import { EventEmitter } from 'node:events';
import type { PinoLogger } from 'nestjs-pino';
import { logConnectionErrors } from './connection-errors.js';

describe('logConnectionErrors', () => {
  it('logs one structured line per message and window instead of one per failed reconnect', () => {
    const lines: { connection: string; foldedSinceLast: number }[] = [];
    const logger = { warn: (fields: { connection: string; foldedSinceLast: number }) => lines.push(fields) } as unknown as PinoLogger;
    const client = new EventEmitter();
    logConnectionErrors(client, 'redis', logger);
    for (let i = 0; i < 50; i++) client.emit('error', new Error('connect ECONNREFUSED 127.0.0.1:6390'));
    client.emit('error', new Error('Connection is closed.'));
    expect(lines.map((l) => [l.connection, l.foldedSinceLast])).toEqual([
      ['redis', 0],
      ['redis', 0],
    ]);
  });
});
