import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { createHash } from 'node:crypto';
import { posix } from 'node:path';
import { actorName, type Principal } from '../common/auth/principal.js';
import { validationFailed } from '../common/errors/domain-error.js';
import { Env } from '../config/env.js';
import type { Run } from '../runs/run.js';
import { isTerminal } from '../runs/run-state-machine.js';
import { RunsService } from '../runs/runs.service.js';
import { type Artifact, ArtifactStatus, type ArtifactWrite } from './artifact.js';
import { artifactNotFound, objectNotFound, runNotFinal, runTokenForOtherRun } from './artifacts.errors.js';
import { ARTIFACTS_REPOSITORY, type ArtifactsRepository } from './artifacts.repository.js';
import type { PresignArtifactRequest, PresignArtifactResponse } from './dto/presign-artifact.request.js';
import { artifactKey } from './storage/artifact-key.js';
import { assertContentType, guessContentType, isInlineSafe } from './storage/content-headers.js';
import { OBJECT_STORAGE, type ObjectDownload, type ObjectStorage, type PresignedUrl } from './storage/object-storage.js';

/** Lifetime of the URL GET /api/artifacts/... redirects to: it is followed at once. */
const REDIRECT_EXPIRY_S = 60;
// S3 deletes at most 1000 keys per request.
const DELETE_BATCH = 1000;

/** A download through the API: the bytes from this server (fs) or a redirect to a presigned URL. */
export type ArtifactDownload = { kind: 'stream'; download: ObjectDownload } | { kind: 'redirect'; url: string };

export interface DeletedArtifacts {
  runId: string;
  deletedObjects: number;
  deletedRecords: number;
}

/**
 * Artifacts of runs: records written from the workers' events, the bytes in object storage behind
 * presigned URLs confined to the run's prefix, downloads, and their removal once a run is over.
 */
@Injectable()
export class ArtifactsService {
  constructor(
    @Inject(ARTIFACTS_REPOSITORY) private readonly artifacts: ArtifactsRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly runs: RunsService,
    private readonly env: Env,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(ArtifactsService.name);
  }

  listByRun(runId: string, kinds?: readonly string[]): Promise<Artifact[]> {
    return this.artifacts.listByRun(runId, kinds);
  }

  /** Idempotent: writes from events applied twice change nothing. */
  applyWrites(runId: string, writes: readonly ArtifactWrite[]): Promise<void> {
    return this.artifacts.applyWrites(runId, writes);
  }

  /**
   * POST /api/runs/:id/artifacts/presign: a run token only for its own run, operators for any.
   * `put` signs an upload to a key inside runs/<runId>/; `get` a download of an existing object.
   */
  async presign(runId: string, request: PresignArtifactRequest, principal: Principal): Promise<PresignArtifactResponse> {
    if (principal.kind === 'run' && principal.runId !== runId) throw runTokenForOtherRun(principal.runId, runId);
    await this.runs.get(runId);
    let presigned: PresignedUrl;
    let key: string;
    if (request.action === 'put') {
      if (request.filename !== undefined && request.key !== undefined) {
        throw validationFailed([{ field: 'key', rule: 'oneOf', message: 'give filename or key, not both' }]);
      }
      key = artifactKey(runId, (request.key ?? request.filename)!);
      presigned = await this.storage.presignPut(key, { expiresInS: this.env.PRESIGN_EXPIRY_S, contentType: request.content_type });
    } else {
      key = artifactKey(runId, request.key!);
      if (!(await this.storage.stat(key))) throw objectNotFound(key);
      presigned = await this.storage.presignGet(key, { expiresInS: this.env.PRESIGN_EXPIRY_S });
    }
    this.logger.info({ runId, key, action: request.action, by: actorName(principal) }, 'artifact URL presigned');
    return { url: presigned.url, key, expiresAt: presigned.expiresAt.toISOString() };
  }

  /**
   * GET /api/artifacts/:runId/<key>: only artifacts registered for that run; images and PDFs
   * inline, anything else as an attachment under its file name.
   */
  async download(runId: string, keyOrPath: string): Promise<ArtifactDownload> {
    const key = artifactKey(runId, keyOrPath);
    const artifact = await this.artifacts.find(runId, key);
    if (!artifact || artifact.status !== ArtifactStatus.REGISTERED) throw artifactNotFound(runId, key);
    const options = this.downloadOptions(artifact, key);
    if (this.storage.openDownload) return { kind: 'stream', download: await this.storage.openDownload(key, options) };
    if (!(await this.storage.stat(key))) throw artifactNotFound(runId, key);
    const { url } = await this.storage.presignGet(key, { ...options, expiresInS: Math.min(REDIRECT_EXPIRY_S, this.env.PRESIGN_EXPIRY_S) });
    return { kind: 'redirect', url };
  }

  /** A short-lived download URL of a registered artifact; null for failed uploads and keys outside the run. */
  async downloadUrlOf(artifact: Artifact): Promise<string | null> {
    if (artifact.status !== ArtifactStatus.REGISTERED) return null;
    const key = confinedKey(artifact);
    if (!key) return null;
    const { url } = await this.storage.presignGet(key, { ...this.downloadOptions(artifact, key), expiresInS: this.env.PRESIGN_EXPIRY_S });
    return url;
  }

  /** The run's final paper: the artifact ai.paper.generated named, else the newest registered `paper` artifact. */
  async paperOf(run: Pick<Run, 'id' | 'paper'>): Promise<Artifact | null> {
    const named = run.paper?.artifactKey ? await this.artifacts.find(run.id, run.paper.artifactKey) : null;
    if (named?.status === ArtifactStatus.REGISTERED) return named;
    const papers = (await this.artifacts.listByRun(run.id, ['paper'])).filter((a) => a.status === ArtifactStatus.REGISTERED);
    return papers.at(-1) ?? null;
  }

  /** An upload URL for an operator; the object becomes an artifact with registerUpload once uploaded. */
  async createUploadUrl(runId: string, filename: string, contentType: string | null | undefined, by: string): Promise<PresignedUrl & { key: string }> {
    await this.runs.get(runId);
    const key = artifactKey(runId, filename);
    const presigned = await this.storage.presignPut(key, { expiresInS: this.env.PRESIGN_EXPIRY_S, contentType });
    this.logger.info({ runId, key, by }, 'artifact upload URL created');
    return { ...presigned, key };
  }

  /** Records an object an operator uploaded as an artifact: size and content type from storage, its SHA-256 from the bytes. */
  async registerUpload(runId: string, keyOrPath: string, kind: string, by: string): Promise<Artifact> {
    await this.runs.get(runId);
    const key = artifactKey(runId, keyOrPath);
    const object = await this.storage.stat(key);
    if (!object) throw objectNotFound(key);
    const hash = createHash('sha256');
    for await (const chunk of await this.storage.getObject(key)) hash.update(chunk as Buffer);
    await this.artifacts.applyWrites(runId, [
      {
        key,
        at: new Date(),
        status: ArtifactStatus.REGISTERED,
        kind,
        bytes: object.size,
        sha256: hash.digest('hex'),
        contentType: object.contentType ?? guessContentType(key) ?? 'application/octet-stream',
      },
    ]);
    this.logger.info({ runId, key, kind, bytes: object.size, by }, 'artifact registered by an operator');
    return (await this.artifacts.find(runId, key))!;
  }

  /** Removes a final run's objects (all under its prefix, registered or not) and then its records. */
  async deleteRunArtifacts(runId: string, by: string): Promise<DeletedArtifacts> {
    const run = await this.runs.get(runId);
    if (!isTerminal(run.status)) throw runNotFinal(runId, run.status);
    const keys = (await this.storage.list(`runs/${runId}/`)).map((object) => object.key);
    // Objects first: should this fail half-way, the records still show what is left and a retry finishes it.
    for (let i = 0; i < keys.length; i += DELETE_BATCH) await this.storage.delete(keys.slice(i, i + DELETE_BATCH));
    const deletedRecords = await this.artifacts.deleteByRun(runId);
    this.logger.info({ runId, objects: keys.length, records: deletedRecords, by }, 'run artifacts deleted');
    return { runId, deletedObjects: keys.length, deletedRecords };
  }

  private downloadOptions(artifact: Artifact, key: string) {
    const contentType = safeContentType(artifact.contentType);
    return { contentType, inline: isInlineSafe(contentType ?? guessContentType(key)), downloadName: posix.basename(key) };
  }
}

// The record's key as a full key inside its run, or null when it names something else.
function confinedKey(artifact: Artifact): string | null {
  try {
    return artifactKey(artifact.runId, artifact.key);
  } catch {
    return null;
  }
}

// Content types in records come from workers' events; only a well-formed one is sent to clients.
function safeContentType(contentType: string | null): string | null {
  try {
    return assertContentType(contentType);
  } catch {
    return null;
  }
}
