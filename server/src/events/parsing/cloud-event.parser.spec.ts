import { parseEventLine } from './cloud-event.parser.js';

const RUN = '11111111-1111-4111-8111-111111111111';
const line = (overrides: Record<string, unknown> = {}, data: Record<string, unknown> = { level: 'info', message: 'm' }) =>
  JSON.stringify({ specversion: '1.0', id: 'e1', source: 's', type: 'ai.run.log', subject: `run/${RUN}`, time: '2026-01-01T00:00:00Z', data, ...overrides });

describe('parseEventLine', () => {
  it('refuses malformed JSON even when a lenient JSON.parse polyfill is loaded', async () => {
    await import('pdf-parse'); // pdfjs' core-js polyfills JSON.parse-with-reviver leniently
    expect(parseEventLine('{"specversion": "1.0",', 1)).toMatchObject({ errors: [{ rule: 'json', message: expect.stringMatching(/^malformed JSON/) }] });
  });

  it('drops __proto__ keys: they can neither set a prototype nor slip past validation', () => {
    const text = line().replace('"message":"m"', '"message":"m","__proto__":{"polluted":true}').replace('"level":"info"', '"level":"loud"');
    expect(text).toContain('"__proto__"');
    expect(parseEventLine(text, 1)).toMatchObject({ errors: [{ field: 'data.level' }] });
    const good = parseEventLine(line().replace('"message":"m"', '"message":"m","__proto__":{"polluted":true}'), 1);
    if (!('event' in good)) throw new Error('expected an event');
    expect(Object.hasOwn(good.event.data, '__proto__')).toBe(false);
    expect(Object.getPrototypeOf(good.event.data)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses nesting deeper than 64 levels without exhausting the stack', () => {
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const text = line({}, { level: 'info', message: 'm' }).replace('"message":"m"', `"message":"m","kv":${deep}`);
    expect(parseEventLine(text, 1)).toMatchObject({ errors: [{ rule: 'maxDepth' }] });
  });

  it('normalises display stage names, level aliases and out-of-range progress', () => {
    const progress = parseEventLine(line({ type: 'ai.run.stage_progress' }, { stage: 'Stage 2: Plot Aggregation', progress: 1.7 }), 1);
    expect(progress).toMatchObject({ event: { data: { stage: 'Stage_2', progress: 1 } } });
    expect(parseEventLine(line({}, { level: 'CRITICAL', message: 'x' }), 1)).toMatchObject({ event: { level: 'error', message: 'x' } });
  });
});
