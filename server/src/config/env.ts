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

  @IsString()
  @IsNotEmpty()
  POD_SEMAPHORE_KEY = 'gpu_slots';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(1000)
  MAX_POD_SLOTS = 4;

  @IsOptional()
  @IsString()
  OPENAI_API_KEY?: string;

  @IsOptional()
  @IsString()
  RUNPOD_API_KEY?: string;

  /** `name:token` pairs separated by commas; when set, every API call needs a bearer token. */
  @IsOptional()
  @IsString()
  API_TOKENS?: string;

  @Transform(toBool)
  @IsBoolean()
  ALLOW_UNAUTHENTICATED = false;

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
  return problems;
}

const SECRET_KEYS = new Set(['API_TOKENS', 'MINIO_SECRET_KEY', 'MINIO_ACCESS_KEY', 'OPENAI_API_KEY', 'RUNPOD_API_KEY', 'MONGODB_URI', 'REDIS_URL']);
const ENV_KEYS = [
  ...new Set(getMetadataStorage().getTargetValidationMetadatas(Env, '', true, false).map((m) => m.propertyName)),
];
