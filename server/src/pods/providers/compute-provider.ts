import { DomainError, ErrorKind } from '../../common/errors/domain-error.js';

export type ProviderName = 'local' | 'runpod';

/** What the orchestrator asks for: everything a worker needs, and nothing else (no database or storage credentials). */
export interface PodSpec {
  runId: string;
  /** Recognisable name, e.g. `orchestrator-run-<runId>`. */
  name: string;
  /** Labels that mark the pod as ours and name its run; providers must let list() recover them. */
  labels: { app: 'orchestrator'; runId: string; mode: 'full' | 'writeup' };
  /** RUN_ID, ORCHESTRATOR_URL, RUN_TOKEN, WORKER_MODE and explicitly configured pass-through secrets. */
  env: Record<string, string>;
}

export interface ProvisionAttempt {
  at: Date;
  provider: ProviderName;
  gpuType: string | null;
  outcome: 'created' | 'no_capacity' | 'error';
  message: string | null;
}

export interface SshInfo { host: string; port: number; user: string; command: string }

export interface ProviderPod {
  id: string;
  name: string;
  /** From the labels/name: null when the pod is not one of ours. */
  runId: string | null;
  status: 'starting' | 'running' | 'exited' | 'terminated' | 'unknown';
  gpuType: string | null;
  region: string | null;
  costPerHour: number | null;
  ssh: SshInfo | null;
  /** How the worker ended, when the provider knows it (local processes; RunPod does not report it). */
  exitCode?: number | null;
}

export interface ProvisionedPod { pod: ProviderPod; attempts: ProvisionAttempt[] }

/** A place where workers run: RunPod GPUs, or child processes on this machine. */
export interface ComputeProvider {
  readonly name: ProviderName;
  /** Creates the pod, trying each configured GPU type in turn on "no capacity" or 5xx; throws ProvisioningFailedError (with every attempt) when none works. */
  create(spec: PodSpec): Promise<ProvisionedPod>;
  /** Polls until the pod runs (or fails/times out: throws PodNotReadyError). */
  waitUntilReady(podId: string): Promise<ProviderPod>;
  get(podId: string): Promise<ProviderPod | null>;
  /** Only pods carrying our label. */
  list(): Promise<ProviderPod[]>;
  /** Idempotent: a pod that is already gone is not an error. */
  terminate(podId: string): Promise<void>;
}

export enum ProviderErrorCode {
  ProvisioningFailed = 'POD_PROVISIONING_FAILED',
  PodNotReady = 'POD_NOT_READY',
  TerminationFailed = 'POD_TERMINATION_FAILED',
  RequestFailed = 'PROVIDER_REQUEST_FAILED',
}

/**
 * No pod could be created. Carries every attempt. `retryable` is false when the provider refused
 * the request itself (bad key, invalid GPU type...): asking again later cannot help.
 */
export class ProvisioningFailedError extends DomainError {
  constructor(
    readonly provider: ProviderName,
    readonly attempts: ProvisionAttempt[],
    readonly retryable: boolean,
  ) {
    super(ErrorKind.Unavailable, ProviderErrorCode.ProvisioningFailed, provisioningSummary(provider, attempts), {
      provider,
      retryable,
      attempts: attempts.map((attempt) => ({ ...attempt, at: attempt.at.toISOString() })),
    });
    this.name = 'ProvisioningFailedError';
  }
}

/** The pod was created but did not start: it failed, vanished, or the wait timed out. */
export class PodNotReadyError extends DomainError {
  constructor(
    readonly provider: ProviderName,
    readonly podId: string,
    readonly lastStatus: ProviderPod['status'] | null,
    reason: string,
  ) {
    super(ErrorKind.Unavailable, ProviderErrorCode.PodNotReady, `${provider} pod ${podId} did not become ready: ${reason}`, {
      provider,
      podId,
      lastStatus,
    });
    this.name = 'PodNotReadyError';
  }
}

/** The provider did not confirm the pod is gone; the caller (cancel, watchdog, reaper) tries again later. */
export class PodTerminationError extends DomainError {
  constructor(
    readonly provider: ProviderName,
    readonly podId: string,
    reason: string,
  ) {
    super(ErrorKind.Unavailable, ProviderErrorCode.TerminationFailed, `Could not terminate ${provider} pod ${podId}: ${reason}`, {
      provider,
      podId,
    });
    this.name = 'PodTerminationError';
  }
}

/** A read (get, list) failed: the provider is unreachable or answered with an error. */
export class ProviderRequestError extends DomainError {
  constructor(
    readonly provider: ProviderName,
    operation: string,
    reason: string,
  ) {
    super(ErrorKind.Unavailable, ProviderErrorCode.RequestFailed, `${provider} ${operation} failed: ${reason}`, { provider, operation });
    this.name = 'ProviderRequestError';
  }
}

function provisioningSummary(provider: ProviderName, attempts: ProvisionAttempt[]): string {
  const tried = attempts
    .map((attempt) => `${attempt.gpuType ?? provider}: ${attempt.outcome.replace('_', ' ')}${attempt.message ? ` (${attempt.message})` : ''}`)
    .join('; ');
  return `No ${provider} pod could be created after ${attempts.length} attempt${attempts.length === 1 ? '' : 's'}${tried ? `: ${tried}` : ''}`;
}
