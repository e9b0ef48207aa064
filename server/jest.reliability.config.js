// `npm run test:reliability`: faults and hostile input against the real server (test/reliability).
// Not part of `npm test`: it takes minutes. One file at a time, so that the faults of one scenario
// (a killed server, a stopped Redis) never land in another's measurements on a 2-core machine.
import base from './jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...base,
  roots: ['<rootDir>/test/reliability'],
  testMatch: ['**/*.reliability-spec.ts'],
  maxWorkers: 1,
  testTimeout: 600_000,
  globalSetup: '<rootDir>/test/reliability/support/global-setup.js',
  reporters: ['default', '<rootDir>/test/reliability/support/reliability-reporter.js'],
};
