import { loadEnv } from '../../config/env.js';
import { DomainError } from '../errors/domain-error.js';
import { Authenticator, tokenOf } from './authenticator.js';

const reasonOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    return (error as DomainError).reason;
  }
  return 'no error';
};

const RUN_ID = '11111111-1111-4111-8111-111111111111';
const runTokens = { runOf: async (token: string) => (token === 'ort_run-token' ? RUN_ID : null) };

describe('Authenticator', () => {
  describe('tokenOf', () => {
    it('reads a bearer token and the user name of Basic auth', () => {
      expect(tokenOf('Bearer abc')).toBe('abc');
      expect(tokenOf(`Basic ${Buffer.from('ort_x:').toString('base64')}`)).toBe('ort_x');
      expect(tokenOf(`Basic ${Buffer.from(':pw').toString('base64')}`)).toBeNull();
      expect(tokenOf(undefined)).toBeNull();
      expect(tokenOf('Token abc')).toBeNull();
    });
  });

  describe('authenticate', () => {
    it('lets everyone in as anonymous when no tokens are configured', async () => {
      const auth = new Authenticator(loadEnv({}), runTokens);
      expect(auth.required).toBe(false);
      expect(await auth.authenticate(null)).toEqual({ kind: 'anonymous' });
      expect(await auth.authenticate('whatever')).toEqual({ kind: 'anonymous' });
    });

    it('resolves a configured operator token to its name', async () => {
      const auth = new Authenticator(loadEnv({ API_TOKENS: 'alice:aaaaaaaaaaaaaaaa1,bob:bbbbbbbbbbbbbbbb2' }), runTokens);
      expect(await auth.authenticate('bbbbbbbbbbbbbbbb2')).toEqual({ kind: 'operator', name: 'bob' });
      expect(await auth.authenticate('aaaaaaaaaaaaaaaa1', { acceptRunTokens: true })).toEqual({ kind: 'operator', name: 'alice' });
    });

    it('accepts a run token only where run tokens are accepted', async () => {
      const auth = new Authenticator(loadEnv({ API_TOKENS: 'alice:aaaaaaaaaaaaaaaa1' }), runTokens);
      expect(await auth.authenticate('ort_run-token', { acceptRunTokens: true })).toEqual({ kind: 'run', runId: RUN_ID });
      expect(await reasonOf(auth.authenticate('ort_run-token'))).toBe('INVALID_TOKEN');
    });

    it('refuses a missing or unknown token when tokens are configured', async () => {
      const auth = new Authenticator(loadEnv({ API_TOKENS: 'alice:aaaaaaaaaaaaaaaa1' }), runTokens);
      expect(await reasonOf(auth.authenticate(null))).toBe('MISSING_TOKEN');
      expect(await reasonOf(auth.authenticate('aaaaaaaaaaaaaaaa'))).toBe('INVALID_TOKEN');
      expect(await reasonOf(auth.authenticate('ort_unknown', { acceptRunTokens: true }))).toBe('INVALID_TOKEN');
    });

    it('refuses an unknown token on ingest routes even when the API is open', async () => {
      const auth = new Authenticator(loadEnv({}), runTokens);
      expect(await auth.authenticate(null, { acceptRunTokens: true })).toEqual({ kind: 'anonymous' });
      expect(await reasonOf(auth.authenticate('ort_unknown', { acceptRunTokens: true }))).toBe('INVALID_TOKEN');
    });
  });
});
