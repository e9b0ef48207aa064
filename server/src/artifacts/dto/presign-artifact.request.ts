import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';

export const PRESIGN_ACTIONS = ['put', 'get'] as const;
export type PresignAction = (typeof PRESIGN_ACTIONS)[number];

/** Path parameters of POST /api/runs/:id/artifacts/presign. */
export class PresignArtifactParams {
  @IsUUID()
  id: string;
}

/** Body of POST /api/runs/:id/artifacts/presign (spec/events.md, "Artifact upload"). */
export class PresignArtifactRequest {
  @IsIn(PRESIGN_ACTIONS)
  action: PresignAction;

  /** put: a name or path relative to the run (`paper.pdf`, `plots/loss.png`). */
  @ValidateIf((r: PresignArtifactRequest) => r.filename !== undefined || (r.action === 'put' && r.key === undefined))
  @IsString()
  @IsNotEmpty({ message: 'is required for action "put" unless key is given' })
  @MaxLength(512)
  filename?: string;

  /** get: the artifact's key; put: instead of filename, a key inside runs/<runId>/. */
  @ValidateIf((r: PresignArtifactRequest) => r.key !== undefined || r.action === 'get')
  @IsString()
  @IsNotEmpty({ message: 'is required for action "get"' })
  @MaxLength(1024)
  key?: string;

  @IsOptional()
  @IsString()
  @MaxLength(255)
  content_type?: string;

  /** plot, figure, paper, reflection, code, documentation, archive, ... (recorded when the worker registers it). */
  @IsOptional()
  @IsString()
  @Matches(/^[a-z][a-z0-9_.-]{0,63}$/, { message: 'must be a lower-case word such as plot, paper or archive' })
  kind?: string;
}

/** What a presign answers: a URL for one method on one key, until expiresAt. */
export interface PresignArtifactResponse {
  url: string;
  key: string;
  expiresAt: string;
}
