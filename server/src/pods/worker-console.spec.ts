import { WorkerConsole } from './worker-console.js';

describe('WorkerConsole', () => {
  describe('flushAll', () => {
    it('keeps lines it could not store and stores them, in order and once, when the store is back', async () => {
      const stored: string[] = [];
      let down = true;
      const console = new WorkerConsole(async (_runId, lines) => {
        if (down) throw new Error('Connection is closed.');
        stored.push(...lines.map((l) => l.message));
      });
      console.line('run-1', 'stderr', 'first');
      await console.flushAll();
      console.line('run-1', 'stdout', 'second');
      expect(stored).toEqual([]);
      down = false;
      await new Promise((resolve) => setTimeout(resolve, 1300));
      expect(stored).toEqual(['first', 'second']);
      await console.close();
    });
  });

  describe('close', () => {
    it('flushes once and stops retrying', async () => {
      let calls = 0;
      const console = new WorkerConsole(async () => {
        calls++;
        throw new Error('down');
      });
      console.line('run-1', 'stdout', 'x');
      await console.close();
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(calls).toBe(1);
    });
  });
});
