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

  it('has artifact storage defaults, and checks its limits without echoing the signing secret', () => {
    expect(loadEnv({})).toMatchObject({ PRESIGN_EXPIRY_S: 900, ARTIFACT_MAX_BYTES: 1024 ** 3 });
    expect(loadEnv({}).PUBLIC_URL).toBeUndefined();
    expect(loadEnv({ PRESIGN_EXPIRY_S: '60', ARTIFACT_MAX_BYTES: '1048576', PUBLIC_URL: 'https://orch.example.com' })).toMatchObject({
      PRESIGN_EXPIRY_S: 60,
      ARTIFACT_MAX_BYTES: 1048576,
      PUBLIC_URL: 'https://orch.example.com',
    });
    const problems = problemsOf({ PRESIGN_EXPIRY_S: '604801', ARTIFACT_MAX_BYTES: '0', PUBLIC_URL: 'ftp://x', STORAGE_SIGNING_SECRET: 'too-short-secret' });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PRESIGN_EXPIRY_S: must not be greater than 604800/),
        expect.stringMatching(/^ARTIFACT_MAX_BYTES: must not be less than 1/),
        expect.stringMatching(/^PUBLIC_URL: must be an http\(s\) URL/),
        expect.stringMatching(/^STORAGE_SIGNING_SECRET: must be longer than or equal to 32 characters$/),
      ]),
    );
    expect(problems.join('\n')).not.toContain('too-short-secret');
  });

  it('validates every API_TOKENS pair', () => {
    expect(problemsOf({ API_TOKENS: 'alice:0123456789abcdef,alice:fedcba9876543210, nocolon ,b@d name:0123456789abcdef9' })).toEqual([
      'API_TOKENS: pair 2 repeats the name alice',
      'API_TOKENS: pair 3 must look like name:token',
      'API_TOKENS: pair 4 has an invalid name (letters, digits, _ . @ -; at most 64)',
    ]);
  });

  it('accepts CHATGPT_TEST_ORIGINS in tests only, as plain http(s) origins', () => {
    expect(problemsOf({ CHATGPT_TEST_ORIGINS: 'http://127.0.0.1:4567' })).toEqual([
      'CHATGPT_TEST_ORIGINS: is for tests only and is refused unless NODE_ENV=test',
    ]);
    expect(problemsOf({ NODE_ENV: 'test', CHATGPT_TEST_ORIGINS: 'http://127.0.0.1:4567, https://localhost:1' })).toEqual([]);
    expect(problemsOf({ NODE_ENV: 'test', CHATGPT_TEST_ORIGINS: 'http://127.0.0.1:4567/share' })).toEqual([
      'CHATGPT_TEST_ORIGINS: "http://127.0.0.1:4567/share" is not an http(s) origin like http://127.0.0.1:4567',
    ]);
  });

  it('has LLM defaults that need no configuration, and checks OPENAI_BASE_URL', () => {
    expect(loadEnv({})).toMatchObject({ ANALYSIS_QUANTITATIVE_MODEL: 'gpt-4o-mini', IDEATION_MODEL: 'gpt-4o', LLM_MAX_RETRIES: 3, ANALYSIS_MAX_PAPER_CHARS: 120_000 });
    expect(loadEnv({}).OPENAI_API_KEY).toBeUndefined();
    expect(problemsOf({ OPENAI_BASE_URL: 'not a url' })).toEqual([expect.stringMatching(/^OPENAI_BASE_URL: must be a URL address/)]);
  });
});
