import { DomainError } from '../../common/errors/domain-error.js';
import { artifactKey, assertKeyPrefix, assertObjectKey, runIdOfKey } from './artifact-key.js';

const RUN = '0f8fad5b-d9cb-469f-a165-70867728950e';
const OTHER = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

function refusal(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, got none');
}

describe('artifact keys', () => {
  describe('artifactKey', () => {
    it.each([
      ['loss.png', `runs/${RUN}/loss.png`],
      ['plots/loss.png', `runs/${RUN}/plots/loss.png`],
      [`runs/${RUN}/plots/loss.png`, `runs/${RUN}/plots/loss.png`],
      ['runs/summary.txt', `runs/${RUN}/runs/summary.txt`],
      ['paper v2 (final).pdf', `runs/${RUN}/paper v2 (final).pdf`],
      ['100%.png', `runs/${RUN}/100%.png`],
      ['a%20b.txt', `runs/${RUN}/a%20b.txt`],
      ['.hidden/.env.example', `runs/${RUN}/.hidden/.env.example`],
      ['...', `runs/${RUN}/...`],
      ['résumé.txt', `runs/${RUN}/résumé.txt`],
      // NFD input comes back NFC.
      ['re\u0301sume\u0301.txt', `runs/${RUN}/r\u00e9sum\u00e9.txt`],
      ['图表/损失.png', `runs/${RUN}/图表/损失.png`],
    ])('accepts %j as %j', (input, expected) => {
      expect(artifactKey(RUN, input)).toBe(expected);
    });

    const refused: [string, string][] = [
      ['', 'non-empty'],
      ['../secrets', 'dot-dot-segment'],
      ['plots/../../x', 'dot-dot-segment'],
      ['..', 'dot-dot-segment'],
      ['./loss.png', 'dot-segment'],
      ['plots/./loss.png', 'dot-segment'],
      ['/etc/passwd', 'relative'],
      ['C:/Windows/win.ini', 'relative'],
      ['plots\\loss.png', 'backslash'],
      ['..\\..\\x', 'backslash'],
      ['a//b', 'empty-segment'],
      ['plots/', 'empty-segment'],
      ['loss\u0000.png', 'control-characters'],
      ['loss.png\r\nX-Injected: 1', 'control-characters'],
      ['loss\n.png', 'control-characters'],
      ['loss\u007f.png', 'control-characters'],
      ['evil\u202egnp.exe', 'control-characters'],
      ['%2e%2e/secrets', 'dot-dot-segment'],
      ['%2E%2E', 'dot-dot-segment'],
      ['plots/%2e%2e/%2e%2e/x', 'dot-dot-segment'],
      ['.%2e/x', 'dot-dot-segment'],
      ['%2e/x', 'dot-segment'],
      ['..%2fsecrets', 'encoded-separator'],
      ['plots%2F..%2F..%2Fx', 'encoded-separator'],
      ['plots%5cx', 'encoded-separator'],
      ['loss%00.png', 'control-characters'],
      ['loss%0d%0a.png', 'control-characters'],
      ['%252e%252e/x', 'double-encoding'],
      ['%ff.png', 'percent-encoding'],
      ['bad\ud800.png', 'unicode'],
      ['x'.repeat(256), 'segment-bytes'],
      [`${'d'.repeat(200)}/${'d'.repeat(200)}/${'d'.repeat(100)}`, 'max-bytes'],
    ];
    const shown = (input: string) => (input.length > 40 ? `${JSON.stringify(input.slice(0, 20))}… (${input.length} chars)` : JSON.stringify(input));

    it.each(refused.map(([input, rule]) => [shown(input), rule, input]))('refuses %s (rule %s)', (_, rule, input) => {
      const error = refusal(() => artifactKey(RUN, input));
      expect(error).toMatchObject({ kind: 'BAD_USER_INPUT', reason: 'INVALID_ARTIFACT_KEY', details: { rule } });
      expect(error.message).toMatch(/^Artifact key .* is invalid: /);
    });

    it('refuses a key inside another run as FORBIDDEN', () => {
      const error = refusal(() => artifactKey(RUN, `runs/${OTHER}/paper.pdf`));
      expect(error).toMatchObject({ kind: 'FORBIDDEN', reason: 'ARTIFACT_OF_ANOTHER_RUN', details: { runId: RUN } });
      expect(error.message).toContain(`runs/${RUN}/`);
    });

    it('refuses a run id that could not be a path segment', () => {
      expect(refusal(() => artifactKey('../x', 'a.txt'))).toMatchObject({ reason: 'INVALID_ARTIFACT_KEY', details: { rule: 'run-id' } });
    });
  });

  describe('runIdOfKey', () => {
    it.each([
      [`runs/${RUN}/loss.png`, RUN],
      [`runs/${RUN}/plots/loss.png`, RUN],
      [`runs/${RUN}/`, null],
      [`runs/${RUN}`, null],
      ['plots/loss.png', null],
      ['runs/../loss.png', null],
      ['', null],
    ])('reads %j as %j', (key, runId) => {
      expect(runIdOfKey(key)).toBe(runId);
    });

    it('inverts artifactKey', () => {
      expect(runIdOfKey(artifactKey(RUN, 'plots/loss.png'))).toBe(RUN);
    });
  });

  describe('assertObjectKey', () => {
    it('accepts and normalises a full key', () => {
      expect(assertObjectKey(`runs/${RUN}/re\u0301.txt`)).toBe(`runs/${RUN}/r\u00e9.txt`);
    });

    it.each([['loss.png'], [`runs/${RUN}/`], [`runs/${RUN}/../${OTHER}/x`], [`runs/${RUN}/%2e%2e/x`]])('refuses %j', (key) => {
      expect(refusal(() => assertObjectKey(key))).toMatchObject({ reason: 'INVALID_ARTIFACT_KEY' });
    });
  });

  describe('assertKeyPrefix', () => {
    it.each([[''], ['runs/'], [`runs/${RUN}/`], [`runs/${RUN}/plo`]])('accepts %j', (prefix) => {
      expect(assertKeyPrefix(prefix)).toBe(prefix);
    });

    it.each([['/'], ['runs//'], ['runs/../'], ['runs/%2e%2e/']])('refuses %j', (prefix) => {
      expect(refusal(() => assertKeyPrefix(prefix))).toMatchObject({ reason: 'INVALID_ARTIFACT_KEY' });
    });
  });
});
