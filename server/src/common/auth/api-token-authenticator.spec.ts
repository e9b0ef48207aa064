import { loadEnv } from '../../config/env.js';
import { DomainError } from '../errors/domain-error.js';
import { ApiTokenAuthenticator } from './api-token-authenticator.js';

const reasonOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as DomainError).reason;
  }
  return 'no error';
};

describe('ApiTokenAuthenticator', () => {
  describe('authenticate', () => {
    it('lets everyone in as anonymous when no tokens are configured', () => {
      const auth = new ApiTokenAuthenticator(loadEnv({}));
      expect(auth.required).toBe(false);
      expect(auth.authenticate(undefined)).toEqual({ kind: 'anonymous' });
      expect(auth.authenticate('Bearer whatever')).toEqual({ kind: 'anonymous' });
    });

    it('resolves a configured bearer token to its name', () => {
      const auth = new ApiTokenAuthenticator(loadEnv({ API_TOKENS: 'alice:aaaaaaaaaaaaaaaa1,bob:bbbbbbbbbbbbbbbb2' }));
      expect(auth.authenticate('Bearer bbbbbbbbbbbbbbbb2')).toEqual({ kind: 'operator', name: 'bob' });
      expect(auth.authenticate('bearer   aaaaaaaaaaaaaaaa1 ')).toEqual({ kind: 'operator', name: 'alice' });
    });

    it('refuses a missing, malformed or unknown token when tokens are configured', () => {
      const auth = new ApiTokenAuthenticator(loadEnv({ API_TOKENS: 'alice:aaaaaaaaaaaaaaaa1' }));
      expect(reasonOf(() => auth.authenticate(undefined))).toBe('MISSING_TOKEN');
      expect(reasonOf(() => auth.authenticate('Basic YWxpY2U6eA=='))).toBe('MISSING_TOKEN');
      expect(reasonOf(() => auth.authenticate('Bearer aaaaaaaaaaaaaaaa'))).toBe('INVALID_TOKEN');
      expect(reasonOf(() => auth.authenticate('Bearer aaaaaaaaaaaaaaaa1x'))).toBe('INVALID_TOKEN');
    });
  });
});
