import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';
import { STAGE_NAMES } from '../../runs/run.js';
import { LogLevel } from '../event.js';

// The data of each catalogue type (spec/events.md). Field names are the wire names (snake_case).
// Optional fields may be absent or null. Fields not listed here are kept as sent.

const STAGE_MESSAGE = 'must be Stage_1, Stage_2, Stage_3 or Stage_4 (display forms such as "Stage 1: ..." are accepted)';
const TEXT = 100_000;

// Values arrive normalised (normalise.ts): display stage names, level aliases, clamped progress.
const IsStage = () => IsIn(STAGE_NAMES, { message: `$property ${STAGE_MESSAGE}` });

function IsNumberMap(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNumberMap',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.values(value).every((v) => typeof v === 'number' && Number.isFinite(v)),
        defaultMessage: () => '$property must be an object of names to numbers',
      },
    },
    options,
  );
}

class StageData {
  @IsStage()
  stage: string;
}

class NodeData extends StageData {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  node_id: string;
}

export class RunEnqueuedData {
  @IsString()
  @IsNotEmpty()
  hypothesis_id: string;

  @IsOptional()
  @IsInt()
  priority?: number | null;
}

export class RunStartedData {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  pod_id: string;

  @IsOptional()
  @IsString()
  gpu?: string | null;

  @IsOptional()
  @IsString()
  region?: string | null;

  @IsOptional()
  @IsString()
  image?: string | null;
}

export class RunHeartbeatData {
  @IsOptional()
  @IsNumber()
  gpu_util?: number | null;

  @IsOptional()
  @IsNumber()
  mem_gb?: number | null;

  @IsOptional()
  @IsNumber()
  temp_c?: number | null;
}

export class RunStatusChangedData {
  @IsString()
  from: string;

  @IsString()
  to: string;

  @IsOptional()
  @IsString()
  reason?: string | null;
}

export class RunCompletedData {
  @IsNumber()
  @Min(0)
  total_duration_s: number;
}

export class RunFailedData {
  @IsOptional()
  @IsStage()
  stage?: string | null;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  code: string;

  @IsString()
  @MaxLength(TEXT)
  message: string;

  @IsOptional()
  @IsString()
  @MaxLength(500_000)
  traceback?: string | null;

  @IsOptional()
  @IsBoolean()
  retryable?: boolean | null;
}

export class RunCanceledData {
  @IsOptional()
  @IsString()
  by?: string | null;

  @IsOptional()
  @IsString()
  reason?: string | null;
}

export class StageStartedData extends StageData {
  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  desc?: string | null;
}

export class StageProgressData extends StageData {
  @IsNumber()
  progress: number;

  @IsOptional()
  @IsNumber()
  @Min(0)
  eta_s?: number | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  iteration?: number | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  max_iterations?: number | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  good_nodes?: number | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  buggy_nodes?: number | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  total_nodes?: number | null;

  @IsOptional()
  @IsNumber()
  best_metric?: number | null;
}

export class StageMetricData extends StageData {
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  @Matches(/^[^"\\\u0000-\u001f]+$/, { message: '$property must not contain quotes, backslashes or control characters' })
  name: string;

  @IsNumber()
  value: number;
}

export class StageCompletedData extends StageData {
  @IsOptional()
  @IsNumber()
  @Min(0)
  duration_s?: number | null;

  // A summary is free-form: text or an object.
  @IsOptional()
  summary?: unknown;
}

export class NodeCreatedData extends NodeData {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  parent_id?: string | null;
}

export class NodeCodeGeneratedData extends NodeData {
  @IsInt()
  @Min(0)
  code_size_bytes: number;
}

export class NodeExecutingData extends NodeData {}

export class NodeCompletedData extends NodeData {
  @IsBoolean()
  is_buggy: boolean;

  @IsOptional()
  @IsNumber()
  metric?: number | null;

  @IsNumber()
  @Min(0)
  exec_time_s: number;
}

export class NodeSelectedBestData extends NodeData {
  @IsNumber()
  metric: number;
}

export class IdeationGeneratedData {
  @IsInt()
  @Min(0)
  count: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  top_k?: number | null;
}

export class PaperStartedData {}

export class PaperGeneratedData {
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  artifact_key: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  word_count?: number | null;
}

export class ValidationAutoStartedData {
  @IsString()
  @IsNotEmpty()
  model: string;

  @IsOptional()
  @IsString()
  rubric_version?: string | null;
}

export class ValidationAutoCompletedData {
  @IsIn(['pass', 'fail'])
  verdict: 'pass' | 'fail';

  @IsOptional()
  @IsNumberMap()
  scores?: Record<string, number> | null;

  // Workers send the review as text, often JSON; a dict arrives as its JSON text.
  @IsOptional()
  @IsString()
  @MaxLength(500_000)
  notes?: string | null;
}

export class RunLogData {
  @IsIn(Object.values(LogLevel), { message: '$property must be debug, info, warn (warning), error (critical)' })
  level: LogLevel;

  @IsString()
  @MaxLength(TEXT)
  message: string;

  @IsOptional()
  @IsObject()
  kv?: Record<string, unknown> | null;

  @IsOptional()
  @IsString()
  source?: string | null;
}

export class ArtifactDetectedData {
  @IsString()
  @IsNotEmpty()
  path: string;

  @IsString()
  type: string;

  @IsInt()
  @Min(0)
  size_bytes: number;
}

export class ArtifactRegisteredData {
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  key: string;

  @IsInt()
  @Min(0)
  bytes: number;

  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/i, { message: '$property must be a hex SHA-256 digest' })
  sha256?: string | null;

  @IsString()
  @IsNotEmpty()
  content_type: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  kind: string;
}

export class ArtifactFailedData {
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  key: string;

  @IsString()
  code: string;

  @IsString()
  @MaxLength(TEXT)
  message: string;
}
