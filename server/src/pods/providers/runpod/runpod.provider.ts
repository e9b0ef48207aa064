import { setTimeout as sleep } from 'node:timers/promises';
import {
  ComputeProvider,
  PodNotReadyError,
  PodSpec,
  PodTerminationError,
  ProviderPod,
  ProviderRequestError,
  ProvisionAttempt,
  ProvisionedPod,
  ProvisioningFailedError,
} from '../compute-provider.js';
import { podStartCommand, PodStartOptions } from '../pod-start-command.js';
import { RunPodClient, RunPodResponse, RunPodTransportError } from './runpod-client.js';
import { isRunPodPod, labelEnv, RunPodPod, runIdOf, tcpPortsOf, toProviderPod } from './runpod-pod.js';

export interface RunPodProviderOptions {
  apiKey: string;
  /** Default https://rest.runpod.io/v1. */
  baseUrl?: string;
  imageName: string;
  /** Tried in turn (round-robin across calls) when one has no capacity or RunPod answers 5xx. */
  gpuTypes: string[];
  /** Defaults: 1 GPU, 30 GB container disk, 50 GB volume (mounted at /workspace). */
  gpuCount?: number;
  containerDiskInGb?: number;
  volumeInGb?: number;
  /** Default ["22/tcp"]; the pod is ready once it has a public IP and all its TCP ports are mapped. */
  ports?: string[];
  setupScripts?: string[];
  /** The worker's argv inside the pod. */
  workerCommand: string[];
  /** Create requests per create(); default two rounds over gpuTypes, at most 50. */
  maxAttempts?: number;
  /** waitUntilReady: poll every 5 s, give up after 15 min (large images take minutes to pull). */
  pollIntervalMs?: number;
  readyTimeoutMs?: number;
  /** Per HTTP request, default 30 s. */
  requestTimeoutMs?: number;
  /** Tries of DELETE within one terminate(), default 3 (the reaper retries beyond that). */
  terminateAttempts?: number;
  /** Pause before the n-th retry of a DELETE: n × this, default 1 s. */
  retryDelayMs?: number;
  /** Tags pods with this deployment so that list() ignores pods of other deployments sharing the account. */
  deploymentId?: string;
  /** Start-script details (marker path, self-termination retries); tests shorten them. */
  startScript?: Omit<PodStartOptions, 'setupScripts' | 'workerCommand'>;
  fetch?: typeof fetch;
}

const CAPACITY_PATTERN = /no (longer any )?instances? (currently )?available|not have the resources|not enough free gpus/i;
const MAX_ATTEMPTS_LIMIT = 50;
// RunPod ids are short alphanumerics; anything else (say "..") must not reach a URL path.
const POD_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

type CreateOutcome =
  | { kind: 'created'; pod: RunPodPod }
  | { kind: 'no_capacity' | 'retryable' | 'fatal'; message: string; ambiguous: boolean };

/** Workers on RunPod GPU pods through the REST API v1. */
export class RunPodProvider implements ComputeProvider {
  readonly name = 'runpod' as const;
  private readonly client: RunPodClient;
  private readonly tcpPorts: number[];
  private readonly maxAttempts: number;
  private lastTypeIndex = -1;

  constructor(private readonly options: RunPodProviderOptions) {
    if (!options.apiKey) throw new Error('RunPodProvider needs an API key');
    if (!options.imageName) throw new Error('RunPodProvider needs an image name');
    if (options.gpuTypes.length === 0) throw new Error('RunPodProvider needs at least one GPU type');
    if (options.workerCommand.length === 0) throw new Error('RunPodProvider needs a worker command');
    const maxAttempts = options.maxAttempts ?? options.gpuTypes.length * 2;
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error('maxAttempts must be a positive integer');
    this.maxAttempts = Math.min(maxAttempts, MAX_ATTEMPTS_LIMIT);
    this.tcpPorts = tcpPortsOf(this.ports);
    this.client = new RunPodClient({
      apiKey: options.apiKey,
      baseUrl: options.baseUrl ?? 'https://rest.runpod.io/v1',
      requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
      fetch: options.fetch ?? globalThis.fetch,
    });
  }

  async create(spec: PodSpec): Promise<ProvisionedPod> {
    const types = this.options.gpuTypes;
    const start = (this.lastTypeIndex + 1) % types.length;
    const attempts: ProvisionAttempt[] = [];
    const record = (gpuType: string, outcome: ProvisionAttempt['outcome'], message: string | null) =>
      attempts.push({ at: new Date(), provider: 'runpod', gpuType, outcome, message });

    for (let i = 0; i < this.maxAttempts; i++) {
      const index = (start + i) % types.length;
      const gpuType = types[index];
      const outcome = await this.tryCreate(spec, gpuType);
      if (outcome.kind === 'created') {
        record(gpuType, 'created', null);
        this.lastTypeIndex = index;
        return { pod: this.toPod(outcome.pod), attempts };
      }
      record(gpuType, outcome.kind === 'no_capacity' ? 'no_capacity' : 'error', outcome.message);
      if (outcome.kind === 'fatal') throw new ProvisioningFailedError('runpod', attempts, false);
      if (outcome.ambiguous) {
        // A timeout or 5xx may still have created the pod; adopt it rather than paying for two.
        const existing = await this.findPodOf(spec);
        if (existing) {
          record(existing.gpuType ?? gpuType, 'created', `found pod ${existing.id} created by the failed request`);
          this.lastTypeIndex = index;
          return { pod: existing, attempts };
        }
      }
    }
    throw new ProvisioningFailedError('runpod', attempts, true);
  }

  async waitUntilReady(podId: string): Promise<ProviderPod> {
    const timeoutMs = this.options.readyTimeoutMs ?? 15 * 60_000;
    const pollMs = this.options.pollIntervalMs ?? 5_000;
    const deadline = Date.now() + timeoutMs;
    let last: ProviderPod | null = null;
    let lastProblem: string;
    if (!POD_ID_PATTERN.test(podId)) throw new PodNotReadyError('runpod', podId, null, 'not a RunPod pod id');
    for (;;) {
      try {
        const response = await this.client.send('GET', `/pods/${encodeURIComponent(podId)}?includeMachine=true`);
        if (response.status === 404) throw new PodNotReadyError('runpod', podId, last?.status ?? null, 'the pod no longer exists');
        if (isRunPodPod(response.body) && response.status < 300) {
          last = this.toPod(response.body);
          if (last.status === 'running') return last;
          if (last.status === 'exited' || last.status === 'terminated') {
            throw new PodNotReadyError('runpod', podId, last.status, `the pod is ${last.status}`);
          }
          lastProblem = `status ${last.status}`;
        } else {
          lastProblem = this.client.errorMessage(response);
          if (isFatalStatus(response.status)) throw new PodNotReadyError('runpod', podId, last?.status ?? null, lastProblem);
        }
      } catch (error) {
        if (!(error instanceof RunPodTransportError)) throw error;
        lastProblem = error.message;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new PodNotReadyError('runpod', podId, last?.status ?? null, `timed out after ${timeoutMs} ms (last: ${lastProblem})`);
      }
      await sleep(Math.min(pollMs, remaining));
    }
  }

  async get(podId: string): Promise<ProviderPod | null> {
    if (!POD_ID_PATTERN.test(podId)) return null;
    const response = await this.read('get', `/pods/${encodeURIComponent(podId)}?includeMachine=true`);
    if (response.status === 404) return null;
    if (response.status >= 300 || !isRunPodPod(response.body)) {
      throw new ProviderRequestError('runpod', 'get', this.client.errorMessage(response));
    }
    return this.toPod(response.body);
  }

  async list(): Promise<ProviderPod[]> {
    return (await this.listRaw('')).filter((pod) => runIdOf(pod, this.options.deploymentId) !== null).map((pod) => this.toPod(pod));
  }

  async terminate(podId: string): Promise<void> {
    // Such a pod cannot exist, so it is already gone.
    if (!POD_ID_PATTERN.test(podId)) return;
    const attempts = this.options.terminateAttempts ?? 3;
    let problem = '';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        const response = await this.client.send('DELETE', `/pods/${encodeURIComponent(podId)}`);
        if (response.status < 300 || isGone(response, this.client)) return;
        problem = this.client.errorMessage(response);
        if (isFatalStatus(response.status)) break;
      } catch (error) {
        if (!(error instanceof RunPodTransportError)) throw error;
        problem = error.message;
      }
      if (attempt < attempts) await sleep((this.options.retryDelayMs ?? 1_000) * attempt);
    }
    throw new PodTerminationError('runpod', podId, problem);
  }

  private get ports(): string[] {
    return this.options.ports ?? ['22/tcp'];
  }

  private async tryCreate(spec: PodSpec, gpuType: string): Promise<CreateOutcome> {
    let response: RunPodResponse;
    try {
      response = await this.client.send('POST', '/pods', this.createBody(spec, gpuType));
    } catch (error) {
      if (!(error instanceof RunPodTransportError)) throw error;
      return { kind: 'retryable', message: error.message, ambiguous: true };
    }
    if (response.status < 300 && isRunPodPod(response.body)) return { kind: 'created', pod: response.body };
    const message = this.client.errorMessage(response);
    if (CAPACITY_PATTERN.test(message)) return { kind: 'no_capacity', message, ambiguous: false };
    if (response.status >= 500) return { kind: 'retryable', message, ambiguous: true };
    if (response.status === 429 || response.status === 408) return { kind: 'retryable', message, ambiguous: false };
    if (response.status < 300) return { kind: 'retryable', message: `unexpected answer (${message})`, ambiguous: true };
    return { kind: 'fatal', message, ambiguous: false };
  }

  private createBody(spec: PodSpec, gpuType: string) {
    const o = this.options;
    return {
      name: spec.name,
      imageName: o.imageName,
      gpuTypeIds: [gpuType],
      gpuCount: o.gpuCount ?? 1,
      containerDiskInGb: o.containerDiskInGb ?? 30,
      volumeInGb: o.volumeInGb ?? 50,
      ports: this.ports,
      // Labels last so a stray env entry cannot impersonate another run.
      env: { ...spec.env, ...labelEnv(spec, o.deploymentId) },
      dockerStartCmd: podStartCommand({ ...o.startScript, setupScripts: o.setupScripts ?? [], workerCommand: o.workerCommand }),
    };
  }

  private async findPodOf(spec: PodSpec): Promise<ProviderPod | null> {
    try {
      const pods = await this.listRaw(`&name=${encodeURIComponent(spec.name)}`);
      const found = pods.find((pod) => runIdOf(pod, this.options.deploymentId) === spec.runId && pod.desiredStatus !== 'TERMINATED');
      return found ? this.toPod(found) : null;
    } catch {
      // Best effort: a duplicate carries the run's label, so a reaper that compares pod ids finds it.
      return null;
    }
  }

  private async listRaw(extraQuery: string): Promise<RunPodPod[]> {
    const response = await this.read('list', `/pods?includeMachine=true${extraQuery}`);
    if (response.status >= 300 || !Array.isArray(response.body)) {
      throw new ProviderRequestError('runpod', 'list', this.client.errorMessage(response));
    }
    return response.body.filter(isRunPodPod);
  }

  private async read(operation: string, path: string): Promise<RunPodResponse> {
    try {
      return await this.client.send('GET', path);
    } catch (error) {
      if (error instanceof RunPodTransportError) throw new ProviderRequestError('runpod', operation, error.message);
      throw error;
    }
  }

  private toPod(pod: RunPodPod): ProviderPod {
    return toProviderPod(pod, this.tcpPorts, this.options.deploymentId);
  }
}

// 4xx other than "try again later" ones: asking again cannot help.
function isFatalStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 404 && status !== 408 && status !== 429;
}

function isGone(response: RunPodResponse, client: RunPodClient): boolean {
  return response.status === 404 || (response.status === 400 && /not found|does not exist/i.test(client.errorMessage(response)));
}
