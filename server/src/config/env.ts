import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateIf,
  getMetadataStorage,
  validateSync,
} from 'class-validator';
import { parseApiTokens } from './api-tokens.js';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;

const toBool = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  return value;
};

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type StoreKind = 'sqlite' | 'mongo';

/**
 * Every environment variable the server reads, validated once at start-up.
 * Nothing else in the code base reads process.env.
 */
export class Env {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsString()
  @IsNotEmpty()
  HOST = '127.0.0.1';

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  @IsNotEmpty()
  DATA_DIR = './data';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Defaults to `mongo` when MONGODB_URI is set, else `sqlite` (see loadEnv). */
  @IsIn(['sqlite', 'mongo'])
  STORE: StoreKind;

  @ValidateIf((env: Env) => env.STORE === 'mongo' || env.MONGODB_URI !== undefined)
  @Matches(/^mongodb(\+srv)?:\/\/.+/, { message: 'must be a mongodb:// or mongodb+srv:// URL (required when STORE=mongo)' })
  MONGODB_URI?: string;

  @IsString()
  @IsNotEmpty()
  MONGODB_DB = 'orchestrator';

  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @IsString()
  MINIO_ENDPOINT?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(65535)
  MINIO_PORT?: number;

  @Transform(toBool)
  @IsBoolean()
  MINIO_USE_SSL = false;

  @ValidateIf((env: Env) => env.MINIO_ENDPOINT !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'is required when MINIO_ENDPOINT is set' })
  MINIO_ACCESS_KEY?: string;

  @ValidateIf((env: Env) => env.MINIO_ENDPOINT !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'is required when MINIO_ENDPOINT is set' })
  MINIO_SECRET_KEY?: string;

  @Matches(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { message: 'must be a valid S3 bucket name' })
  MINIO_BUCKET = 'ai-scientist-artifacts';

  @IsString()
  @IsNotEmpty()
  MINIO_REGION = 'us-east-1';

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  MINIO_PUBLIC_BASE_URL?: string;

  /**
   * Base URL browsers and workers reach this server at: pods post their events there and signed
   * `fs` storage URLs point there. Default: the address it listens on (fine for local workers);
   * required for RunPod pods, which reach the orchestrator from outside.
   */
  @ValidateIf((env: Env) => env.POD_PROVIDER === 'runpod' || env.PUBLIC_URL !== undefined)
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] }, { message: '$property must be an http(s) URL (required when POD_PROVIDER=runpod)' })
  PUBLIC_URL?: string;

  /** Lifetime of presigned artifact upload and download URLs, in seconds (at most 7 days, as on S3). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 3600)
  PRESIGN_EXPIRY_S = 900;

  /** Largest artifact a signed `fs` upload URL accepts, in bytes (413 beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(5 * 1024 ** 4)
  ARTIFACT_MAX_BYTES = 1024 ** 3;

  /** HMAC key of signed `fs` storage URLs; default: a random key kept in DATA_DIR/storage/signing.key. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  STORAGE_SIGNING_SECRET?: string;

  @IsString()
  @IsNotEmpty()
  POD_SEMAPHORE_KEY = 'gpu_slots';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  MAX_POD_SLOTS = 4;

  /** Enables the LLM features (paper analysis, ideation, ChatGPT summaries); without it they answer LLM_NOT_CONFIGURED. */
  @IsOptional()
  @IsString()
  OPENAI_API_KEY?: string;

  /** Any OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1; default: the OpenAI API. */
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true, protocols: ['http', 'https'] })
  OPENAI_BASE_URL?: string;

  /** Model that scores a paper (the analysis' quantitative part). */
  @IsString()
  @IsNotEmpty()
  ANALYSIS_QUANTITATIVE_MODEL = 'gpt-4o-mini';

  /** Model that writes the analysis' qualitative part. */
  @IsString()
  @IsNotEmpty()
  ANALYSIS_QUALITATIVE_MODEL = 'gpt-4o';

  /** Most characters of a paper's text sent for analysis; longer papers are cut (head and tail kept) and say so. */
  @Transform(toInt)
  @IsInt()
  @Min(2_000)
  @Max(2_000_000)
  ANALYSIS_MAX_PAPER_CHARS = 120_000;

  /** Model that drafts and refines ideas (ideation). */
  @IsString()
  @IsNotEmpty()
  IDEATION_MODEL = 'gpt-4o';

  /** Model that turns a ChatGPT transcript into a title and an idea (plain extraction without an LLM). */
  @IsString()
  @IsNotEmpty()
  CHATGPT_EXTRACTION_MODEL = 'gpt-4o-mini';

  /** Time limit of one LLM request, in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(1_000)
  @Max(900_000)
  LLM_TIMEOUT_MS = 120_000;

  /** Retries of one LLM request after a 429, a 5xx, a timeout or a connection error (Retry-After is honoured). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10)
  LLM_MAX_RETRIES = 3;

  /** First backoff delay between LLM retries, doubled each time, in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  LLM_RETRY_BASE_DELAY_MS = 1_000;

  /** Longest wait before an LLM retry, Retry-After included, in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  LLM_RETRY_MAX_DELAY_MS = 60_000;

  /** Time limit for fetching a ChatGPT share page, in milliseconds. */
  @Transform(toInt)
  @IsInt()
  @Min(500)
  @Max(120_000)
  CHATGPT_FETCH_TIMEOUT_MS = 15_000;

  /** Largest ChatGPT share page read, in bytes. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(100 * 1024 * 1024)
  CHATGPT_MAX_PAGE_BYTES = 10 * 1024 * 1024;

  /**
   * TESTS ONLY (refused unless NODE_ENV=test): comma-separated origins, e.g. http://127.0.0.1:4567, accepted
   * besides https://chatgpt.com and https://chat.openai.com so tests can serve share pages locally.
   */
  @IsOptional()
  @IsString()
  CHATGPT_TEST_ORIGINS?: string;

  @ValidateIf((env: Env) => env.POD_PROVIDER === 'runpod' || env.RUNPOD_API_KEY !== undefined)
  @IsString()
  @IsNotEmpty({ message: 'is required when POD_PROVIDER=runpod' })
  RUNPOD_API_KEY?: string;

  /** `name:token` pairs separated by commas; when set, every API call needs a bearer token. */
  @IsOptional()
  @IsString()
  API_TOKENS?: string;

  @Transform(toBool)
  @IsBoolean()
  ALLOW_UNAUTHENTICATED = false;

  /** false: this instance serves the API only and leaves queued jobs to instances where it is true. */
  @Transform(toBool)
  @IsBoolean()
  PROCESS_JOBS = true;

  /** Whether this instance runs the `validator` queue's LLM jobs (analysis, ideation, ChatGPT imports); default: PROCESS_JOBS. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  PROCESS_VALIDATOR_JOBS?: boolean;

  /** Where workers run: `local` child processes on this machine, or `runpod` GPU pods. */
  @IsIn(['local', 'runpod'])
  POD_PROVIDER: 'local' | 'runpod' = 'local';

  /** The local worker's command line (split on spaces); default: the bundled demo worker. */
  @IsOptional()
  @IsString()
  WORKER_COMMAND?: string;

  /** Extra environment for every worker, `KEY=value,KEY=value` (e.g. DEMO_PACE, explicitly passed-through secrets). */
  @IsOptional()
  @Matches(/^([A-Za-z_][A-Za-z0-9_]*=[^,]*)(,[A-Za-z_][A-Za-z0-9_]*=[^,]*)*$/, { message: 'must look like KEY=value,KEY2=value2' })
  POD_ENV?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  STARTUP_TIMEOUT_S = 900;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  HEARTBEAT_TIMEOUT_S = 300;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  WATCHDOG_INTERVAL_S = 15;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  REAPER_INTERVAL_S = 60;

  /** A GPU slot is a lease renewed while its run lives (seed: lock timeout 5 minutes). */
  @Transform(toInt)
  @IsInt()
  @Min(5)
  SLOT_LEASE_S = 300;

  /** How long a start job waits for a free slot before it steps back in the queue (seed: 30 s). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  SLOT_ACQUIRE_TIMEOUT_S = 30;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  RUNPOD_BASE_URL?: string;

  @IsString()
  @IsNotEmpty()
  RUNPOD_IMAGE = 'runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404';

  /** Tried in turn when one has no capacity. */
  @IsString()
  @IsNotEmpty()
  RUNPOD_GPU_TYPES = 'NVIDIA RTX A4000,NVIDIA RTX A5000';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RUNPOD_GPU_COUNT = 1;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RUNPOD_CONTAINER_DISK_GB = 30;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  RUNPOD_VOLUME_GB = 50;

  @IsString()
  RUNPOD_PORTS = '22/tcp';

  /** Shell commands run in order before the worker, separated by `;;` (e.g. a git clone of the worker's repository). */
  @IsOptional()
  @IsString()
  RUNPOD_SETUP_SCRIPTS?: string;

  /** The worker's command line inside the pod (required when POD_PROVIDER=runpod). */
  @ValidateIf((env: Env) => env.POD_PROVIDER === 'runpod')
  @IsString()
  @IsNotEmpty({ message: 'is required when POD_PROVIDER=runpod' })
  RUNPOD_WORKER_COMMAND?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  RUNPOD_READY_TIMEOUT_S = 900;

  /** Time limit of one RunPod API request, in seconds (a create that times out is checked for a pod it may have made). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(600)
  RUNPOD_REQUEST_TIMEOUT_S = 30;

  /** Marks this deployment's pods so that several deployments can share one RunPod account. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,64}$/)
  ORCHESTRATOR_DEPLOYMENT_ID?: string;

  /** Most lines one NDJSON ingest request may hold (413 beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000)
  INGEST_MAX_BATCH_LINES = 5000;

  /** Largest ingest request body, in bytes (413 beyond). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  @Max(1024 * 1024 * 1024)
  INGEST_MAX_BODY_BYTES = 10 * 1024 * 1024;

  /**
   * Sustained ingest rate per token (a run token, an operator token, or per client address without
   * one), in events (lines) per second, shared by every instance through Redis; beyond it 429 with
   * Retry-After. 0 turns the limit off.
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  INGEST_RATE_PER_S = 5000;

  /** Events a token may post at once before INGEST_RATE_PER_S applies (the bucket's size). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(100_000_000)
  INGEST_BURST = 50_000;

  /** Deepest field nesting a GraphQL operation may have (introspection excepted); deeper ones are refused (QUERY_TOO_DEEP). */
  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(100)
  GRAPHQL_MAX_DEPTH = 12;

  /**
   * Highest estimated cost of a GraphQL operation (1 per field; a list multiplies its selections
   * by its `first`, else by 10); costlier ones are refused (QUERY_TOO_COMPLEX).
   */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(100_000_000)
  GRAPHQL_MAX_COST = 100_000;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Validates the given variables (process.env in production) and lists every problem at once. */
export function loadEnv(source: Record<string, string | undefined>): Env {
  const vars = Object.fromEntries(
    ENV_KEYS.filter((key) => source[key] !== undefined && source[key] !== '').map((key) => [key, source[key]]),
  );
  vars.STORE ??= vars.MONGODB_URI ? 'mongo' : 'sqlite';
  const env = plainToInstance(Env, vars);
  const problems = validateSync(env, { forbidUnknownValues: false }).flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) => describe(error.property, message, error.value)),
  );
  problems.push(...crossFieldProblems(env));
  if (problems.length > 0) throw new ConfigError(problems);
  return env;
}

function describe(property: string, message: string, value: unknown): string {
  // class-validator messages start with the property name; say it once, and never echo secrets.
  const rule = message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
  const shown = SECRET_KEYS.has(property) || value === undefined ? '' : ` (got ${JSON.stringify(value)})`;
  return `${property}: ${rule}${shown}`;
}

function crossFieldProblems(env: Env): string[] {
  const problems: string[] = [];
  let hasTokens = false;
  if (env.API_TOKENS !== undefined) {
    const parsed = parseApiTokens(env.API_TOKENS);
    problems.push(...parsed.problems.map((p) => `API_TOKENS: ${p}`));
    hasTokens = parsed.tokens.length > 0;
  }
  if (!isLoopbackHost(env.HOST) && !hasTokens && !env.ALLOW_UNAUTHENTICATED) {
    problems.push(
      `HOST: ${env.HOST} is not a loopback address; set API_TOKENS (name:token pairs) or ALLOW_UNAUTHENTICATED=true to listen there without authentication`,
    );
  }
  if (env.CHATGPT_TEST_ORIGINS !== undefined) problems.push(...chatGptTestOriginProblems(env));
  return problems;
}

/** The origins of CHATGPT_TEST_ORIGINS (empty when unset). */
export function chatGptTestOrigins(env: Pick<Env, 'CHATGPT_TEST_ORIGINS'>): string[] {
  return (env.CHATGPT_TEST_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}

// A share-page fetcher that may be pointed anywhere is a request-forgery knob: tests only.
function chatGptTestOriginProblems(env: Env): string[] {
  if (env.NODE_ENV !== 'test') return ['CHATGPT_TEST_ORIGINS: is for tests only and is refused unless NODE_ENV=test'];
  return chatGptTestOrigins(env).flatMap((origin) => {
    try {
      const url = new URL(origin);
      if (['http:', 'https:'].includes(url.protocol) && url.origin === origin) return [];
    } catch {
      // reported below
    }
    return [`CHATGPT_TEST_ORIGINS: ${JSON.stringify(origin)} is not an http(s) origin like http://127.0.0.1:4567`];
  });
}

const SECRET_KEYS = new Set(['API_TOKENS', 'STORAGE_SIGNING_SECRET', 'MINIO_SECRET_KEY', 'MINIO_ACCESS_KEY', 'OPENAI_API_KEY', 'RUNPOD_API_KEY', 'MONGODB_URI', 'REDIS_URL']);
const ENV_KEYS = [
  ...new Set(getMetadataStorage().getTargetValidationMetadatas(Env, '', true, false).map((m) => m.propertyName)),
];

// What a local worker inherits from the server's environment; never secrets or NODE_OPTIONS.
const HOST_ENV_KEYS = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR'];

/** The few host variables a local worker process needs to run at all (the config module is the one reader of process.env). */
export function hostEnvironment(): Record<string, string | undefined> {
  return Object.fromEntries(HOST_ENV_KEYS.map((key) => [key, process.env[key]]));
}

/** `KEY=value,KEY2=value2` as an object. */
export function parsePodEnv(value: string | undefined): Record<string, string> {
  if (!value) return {};
  return Object.fromEntries(value.split(',').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}
