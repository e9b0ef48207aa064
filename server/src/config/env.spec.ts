import { ConfigError, loadEnv } from './env.js';

const problemsOf = (vars: Record<string, string>) => {
  try {
    loadEnv(vars);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('loadEnv', () => {
  it('runs on embedded defaults with no configuration at all', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      HOST: '127.0.0.1',
      PORT: 3000,
      DATA_DIR: './data',
      STORE: 'sqlite',
      MAX_POD_SLOTS: 4,
      POD_SEMAPHORE_KEY: 'gpu_slots',
      MINIO_BUCKET: 'ai-scientist-artifacts',
      ALLOW_UNAUTHENTICATED: false,
    });
    expect(env.REDIS_URL).toBeUndefined();
  });

  it('chooses the mongo store when MONGODB_URI is set and STORE is not', () => {
    expect(loadEnv({ MONGODB_URI: 'mongodb://db:27017' }).STORE).toBe('mongo');
    expect(loadEnv({ MONGODB_URI: 'mongodb://db:27017', STORE: 'sqlite' }).STORE).toBe('sqlite');
  });

  it('converts numbers and booleans and ignores empty values and unrelated variables', () => {
    const env = loadEnv({ PORT: '8080', MINIO_USE_SSL: 'true', REDIS_URL: '', PATH: '/usr/bin' });
    expect(env.PORT).toBe(8080);
    expect(env.MINIO_USE_SSL).toBe(true);
    expect(env.REDIS_URL).toBeUndefined();
    expect(env).not.toHaveProperty('PATH');
  });

  it('lists every problem at once, naming the variable and the rule', () => {
    const problems = problemsOf({ PORT: 'abc', STORE: 'mongo', MAX_POD_SLOTS: '0', REDIS_URL: 'http://x', MINIO_ENDPOINT: 'minio' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: must be an integer number \(got "abc"\)$/),
        expect.stringMatching(/^MONGODB_URI: must be a mongodb:\/\/ .*required when STORE=mongo/),
        expect.stringMatching(/^MAX_POD_SLOTS: must not be less than 1/),
        expect.stringMatching(/^REDIS_URL: must be a redis:\/\/ or rediss:\/\/ URL$/),
        expect.stringMatching(/^MINIO_ACCESS_KEY: is required when MINIO_ENDPOINT is set$/),
        expect.stringMatching(/^MINIO_SECRET_KEY: is required when MINIO_ENDPOINT is set$/),
      ]),
    );
    expect(problems.length).toBeGreaterThanOrEqual(6);
  });

  it('never echoes a secret value in a problem', () => {
    const problems = problemsOf({ REDIS_URL: 'http://user:hunter2@x', API_TOKENS: 'alice:short-secret' });
    expect(problems.join('\n')).not.toMatch(/hunter2|short-secret/);
    expect(problems).toContain('API_TOKENS: pair 1 (alice) has a token shorter than 16 characters');
  });

  it('refuses a non-loopback HOST without tokens unless explicitly allowed', () => {
    expect(problemsOf({ HOST: '0.0.0.0' })).toEqual([expect.stringMatching(/^HOST: 0\.0\.0\.0 is not a loopback address; set API_TOKENS/)]);
    expect(problemsOf({ HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'true' })).toEqual([]);
    expect(problemsOf({ HOST: '0.0.0.0', API_TOKENS: 'ops:0123456789abcdef0123' })).toEqual([]);
    expect(problemsOf({ HOST: '127.0.0.2' })).toEqual([]);
    expect(problemsOf({ HOST: '::1' })).toEqual([]);
  });

  it('validates every API_TOKENS pair', () => {
    expect(problemsOf({ API_TOKENS: 'alice:0123456789abcdef,alice:fedcba9876543210, nocolon ,b@d name:0123456789abcdef9' })).toEqual([
      'API_TOKENS: pair 2 repeats the name alice',
      'API_TOKENS: pair 3 must look like name:token',
      'API_TOKENS: pair 4 has an invalid name (letters, digits, _ . @ -; at most 64)',
    ]);
  });
});
