// Component tests (jsdom) and browser tests (Chromium against the built server), one `npm test`.
const swc = (tsx) => [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx },
      transform: { react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

/** @type {import('jest').Config} */
export default {
  reporters: ['default', ['<rootDir>/../server/test/support/summary-reporter.js', { suite: 'web' }]],
  maxWorkers: 2,
  projects: [
    {
      displayName: 'components',
      rootDir: '.',
      roots: ['<rootDir>/src'],
      testMatch: ['**/*.spec.ts', '**/*.spec.tsx'],
      testEnvironment: '<rootDir>/test/support/jsdom-environment.cjs',
      // Packages' CommonJS builds (jsdom would otherwise pick their browser ES modules).
      testEnvironmentOptions: { customExportConditions: ['require', 'node', 'default'] },
      setupFilesAfterEnv: ['<rootDir>/test/support/setup-dom.ts'],
      moduleNameMapper: { '\\.css$': '<rootDir>/test/support/style-stub.cjs' },
      transform: { '^.+\\.tsx?$': swc(true) },
    },
    {
      displayName: 'browser',
      rootDir: '.',
      roots: ['<rootDir>/test/e2e'],
      testMatch: ['**/*.e2e-spec.ts'],
      testEnvironment: 'node',
      transform: { '^.+\\.ts$': swc(false) },
    },
  ],
};
