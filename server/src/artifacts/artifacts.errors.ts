import { DomainError, ErrorKind } from '../common/errors/domain-error.js';

export enum ArtifactsErrorCode {
  InvalidArtifactKey = 'INVALID_ARTIFACT_KEY',
  ArtifactOfAnotherRun = 'ARTIFACT_OF_ANOTHER_RUN',
  InvalidContentType = 'INVALID_CONTENT_TYPE',
  ContentTypeMismatch = 'CONTENT_TYPE_MISMATCH',
  InvalidExpiry = 'INVALID_EXPIRY',
  SignatureInvalid = 'SIGNATURE_INVALID',
  SignatureExpired = 'SIGNATURE_EXPIRED',
  SignatureMethodMismatch = 'SIGNATURE_METHOD_MISMATCH',
  ObjectNotFound = 'ARTIFACT_OBJECT_NOT_FOUND',
  ObjectTooLarge = 'ARTIFACT_TOO_LARGE',
  KeyConflict = 'ARTIFACT_KEY_CONFLICT',
  StorageUnavailable = 'STORAGE_UNAVAILABLE',
  RunTokenForOtherRun = 'RUN_TOKEN_FOR_OTHER_RUN',
  ArtifactNotFound = 'ARTIFACT_NOT_FOUND',
  RunNotFinal = 'RUN_NOT_FINAL',
}

// Keys come from clients: show enough to recognise them, never a megabyte of input.
const shown = (key: string) => JSON.stringify(key.length > 120 ? `${key.slice(0, 120)}…` : key);

export const invalidArtifactKey = (key: string, rule: string, message: string) =>
  new DomainError(ErrorKind.BadUserInput, ArtifactsErrorCode.InvalidArtifactKey, `Artifact key ${shown(key)} is invalid: ${message}`, {
    field: 'key',
    rule,
  });

export const artifactOfAnotherRun = (key: string, runId: string) =>
  new DomainError(
    ErrorKind.Forbidden,
    ArtifactsErrorCode.ArtifactOfAnotherRun,
    `Artifact key ${shown(key)} belongs to another run; keys of run ${runId} stay inside runs/${runId}/`,
    { field: 'key', rule: 'own-run-prefix', runId },
  );

export const invalidContentType = (contentType: string) =>
  new DomainError(
    ErrorKind.BadUserInput,
    ArtifactsErrorCode.InvalidContentType,
    `Content type ${shown(contentType)} is not a valid media type (type/subtype[; param=value])`,
    { field: 'contentType', rule: 'media-type' },
  );

export const contentTypeMismatch = (signed: string, sent: string) =>
  new DomainError(
    ErrorKind.BadUserInput,
    ArtifactsErrorCode.ContentTypeMismatch,
    `The upload URL was signed for content type ${shown(signed)} but the request sent ${shown(sent)}`,
    { field: 'contentType', rule: 'matches-signed-content-type' },
  );

export const invalidExpiry = (expiresInS: number, maxS: number) =>
  new DomainError(
    ErrorKind.BadUserInput,
    ArtifactsErrorCode.InvalidExpiry,
    `URL lifetime must be a whole number of seconds from 1 to ${maxS} (got ${expiresInS})`,
    { field: 'expiresInS', rule: 'range', max: maxS },
  );

export const signatureInvalid = (why: string) =>
  new DomainError(ErrorKind.Forbidden, ArtifactsErrorCode.SignatureInvalid, `Storage URL signature is invalid: ${why}`);

export const signatureExpired = (expiredAt: Date) =>
  new DomainError(ErrorKind.Forbidden, ArtifactsErrorCode.SignatureExpired, `Storage URL expired at ${expiredAt.toISOString()}`, {
    expiredAt: expiredAt.toISOString(),
  });

export const signatureMethodMismatch = (signed: string, used: string) =>
  new DomainError(
    ErrorKind.Forbidden,
    ArtifactsErrorCode.SignatureMethodMismatch,
    `Storage URL was signed for ${signed} and cannot be used for ${used}`,
    { signedMethod: signed, method: used },
  );

export const objectNotFound = (key: string) =>
  new DomainError(ErrorKind.NotFound, ArtifactsErrorCode.ObjectNotFound, `No stored object with key ${shown(key)}`, { key });

export const objectTooLarge = (maxBytes: number) =>
  new DomainError(ErrorKind.PayloadTooLarge, ArtifactsErrorCode.ObjectTooLarge, `Upload exceeds the limit of ${maxBytes} bytes`, {
    maxBytes,
  });

export const keyConflict = (key: string) =>
  new DomainError(
    ErrorKind.Conflict,
    ArtifactsErrorCode.KeyConflict,
    `Key ${shown(key)} clashes with an existing object or folder (one key cannot be both a file and a prefix of other keys here)`,
    { key },
  );

export const storageUnavailable = (where: string, cause: string) =>
  new DomainError(ErrorKind.Unavailable, ArtifactsErrorCode.StorageUnavailable, `Object storage at ${where} is not available: ${cause}`, {
    where,
  });

export const runTokenForOtherRun = (tokenRunId: string, runId: string) =>
  new DomainError(
    ErrorKind.Forbidden,
    ArtifactsErrorCode.RunTokenForOtherRun,
    `This run token belongs to run ${tokenRunId} and cannot presign artifacts of run ${runId}`,
    { runId },
  );

export const artifactNotFound = (runId: string, key: string) =>
  new DomainError(ErrorKind.NotFound, ArtifactsErrorCode.ArtifactNotFound, `Run ${runId} has no uploaded artifact ${shown(key)}`, {
    runId,
    key,
  });

export const runNotFinal = (runId: string, status: string) =>
  new DomainError(
    ErrorKind.Conflict,
    ArtifactsErrorCode.RunNotFinal,
    `Run ${runId} is ${status}; artifacts can be deleted only once it is HUMAN_VALIDATED, FAILED or CANCELED`,
    { runId, status },
  );
