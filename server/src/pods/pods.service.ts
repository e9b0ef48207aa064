import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DelayedError, type Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import type { Subscription } from 'rxjs';
import { listeningUrl } from '../common/listening-url.js';
import { Env, parsePodEnv } from '../config/env.js';
import { LogLevel } from '../events/event.js';
import { EventsService } from '../events/events.service.js';
import { RunTokensService } from '../events/run-tokens/run-tokens.service.js';
import { OrchestratorQueue } from '../infra/queues/orchestrator.queue.js';
import { type Run, type RunProvisioning, RunStatus } from '../runs/run.js';
import { RunsService } from '../runs/runs.service.js';
import { GpuSlots } from './gpu-slots.js';
import { RunFailure } from './pods.errors.js';
import {
  type ComputeProvider,
  PodNotReadyError,
  type PodSpec,
  type ProviderPod,
  ProvisioningFailedError,
} from './providers/compute-provider.js';
import { createProvider } from './providers/create-provider.js';
import { WorkerConsole } from './worker-console.js';

const S = RunStatus;
// Statuses in which a run's worker should be running (or about to).
const LIVE = new Set<RunStatus>([S.SCHEDULED, S.STARTING, S.RUNNING, S.AUTO_VALIDATING]);
// Statuses after which a run needs no pod at all.
const DONE = new Set<RunStatus>([S.FAILED, S.CANCELED, S.HUMAN_VALIDATED]);
// A worker that reported its result may still be uploading or logging; after this the reaper ends its pod.
const FINISHED_GRACE_MS = 10 * 60 * 1000;
const STEP_BACK_MS = 5000;

type Mode = RunProvisioning['mode'];

/**
 * From a queued run to a worker on a pod, and back to nothing: GPU slots, provisioning with its
 * log, termination on cancel and failure, the watchdog, and the reaper of pods nobody owns.
 */
@Injectable()
export class PodsService implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly provider: ComputeProvider;
  private readonly console: WorkerConsole;
  private transitionsSubscription?: Subscription;

  constructor(
    private readonly env: Env,
    private readonly runs: RunsService,
    private readonly events: EventsService,
    private readonly runTokens: RunTokensService,
    private readonly slots: GpuSlots,
    private readonly queue: OrchestratorQueue,
    private readonly http: HttpAdapterHost,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(PodsService.name);
    this.console = new WorkerConsole((runId, lines) => this.events.recordLogs(runId, 'pod-console', lines));
    this.provider = createProvider(env, {
      onOutput: (runId, stream, line) => this.console.line(runId, stream, line),
      onExit: (pod) => void this.podGone(pod).catch((error: unknown) => this.logger.error({ runId: pod.runId, err: error }, 'could not record a pod exit')),
    });
  }

  async onApplicationBootstrap() {
    // A cancel or a failure, by anyone, ends the run's pod and frees its slot.
    this.transitionsSubscription = this.runs.transitions.subscribe(({ runId, transition }) => {
      if (DONE.has(transition.to)) void this.stop(runId, `run ${transition.to}`);
    });
    if (this.env.PROCESS_JOBS) {
      await this.queue.schedule('watchdog', this.env.WATCHDOG_INTERVAL_S * 1000);
      await this.queue.schedule('reaper', this.env.REAPER_INTERVAL_S * 1000);
    }
  }

  async onApplicationShutdown() {
    this.transitionsSubscription?.unsubscribe();
    await this.console.close();
    // Local workers are this process' children: they end with it (their runs fail by heartbeat later).
    if ('shutdown' in this.provider) await (this.provider as { shutdown(): Promise<void> }).shutdown();
  }

  slotsInUse(): Promise<string[]> {
    return this.slots.holders();
  }

  /**
   * The `start` job: a GPU slot, QUEUED → SCHEDULED, a run token, a pod, SCHEDULED → STARTING.
   * Re-entrant: a retried job continues from where the run is. Without a free slot the job steps
   * back in the queue (moved to delayed), which does not count as an attempt.
   */
  async startJob(job: Job<{ runId: string }>, token: string | undefined): Promise<string> {
    const { runId } = job.data;
    const run = await this.runs.get(runId);
    const pendingPod = run.status === S.SCHEDULED && !run.provisioning?.podId;
    if (run.status !== S.QUEUED && !pendingPod) return `nothing to do: run is ${run.status}`;
    return this.withFailureOnLastAttempt(job, run, async () => {
      const url = this.orchestratorUrl();
      if (!url || !(await this.slots.acquire(runId, this.env.SLOT_ACQUIRE_TIMEOUT_S * 1000))) return this.stepBack(job, token);
      if (run.status === S.QUEUED) {
        const scheduled = await this.tryTransition(runId, S.SCHEDULED, 'gpu slot acquired');
        if (!scheduled) {
          await this.slots.release(runId);
          return 'run left QUEUED meanwhile';
        }
      }
      const pod = await this.provision(runId, 'full', url);
      if (!pod) return 'provisioning failed';
      if (!(await this.tryTransition(runId, S.STARTING, `pod ${pod.id} created`))) {
        await this.stop(runId, 'run left SCHEDULED while its pod was created');
        return 'run left SCHEDULED meanwhile';
      }
      await this.awaitReady(runId, pod.id);
      return `pod ${pod.id} started`;
    });
  }

  /** The `writeup` job: a pod in writeup mode for a finished run; its status does not change. */
  async writeupJob(job: Job<{ runId: string; attempt: number }>, token: string | undefined): Promise<string> {
    const { runId } = job.data;
    const run = await this.runs.get(runId);
    if (!run.writeup?.active || (run.provisioning?.mode === 'writeup' && run.provisioning.podId && !run.provisioning.terminatedAt)) {
      return 'nothing to do';
    }
    const url = this.orchestratorUrl();
    if (!url || !(await this.slots.acquire(runId, this.env.SLOT_ACQUIRE_TIMEOUT_S * 1000))) return this.stepBack(job, token);
    const pod = await this.provision(runId, 'writeup', url);
    if (!pod) {
      await this.runs.finishWriteup(runId, 'provisioning failed');
      return 'provisioning failed';
    }
    await this.awaitReady(runId, pod.id);
    return `writeup pod ${pod.id} started`;
  }

  /** Ends the run's pod (if any) and frees its slot; safe to call twice. */
  async stop(runId: string, reason: string): Promise<void> {
    try {
      const run = await this.runs.get(runId);
      const podId = run.provisioning?.podId;
      if (podId && !run.provisioning?.terminatedAt) {
        await this.provider.terminate(podId);
        await this.runs.recordProvisioning(runId, { terminatedAt: new Date() });
        await this.log(runId, LogLevel.INFO, `pod ${podId} terminated: ${reason}`);
      }
      await this.slots.release(runId);
      await this.runTokens.revoke(runId);
    } catch (error) {
      // The reaper terminates what could not be terminated now.
      this.logger.error({ runId, err: error }, 'could not stop the run\'s pod');
    }
  }

  /** Fails runs stuck STARTING or silent while RUNNING; their pods go with them (see onApplicationBootstrap). */
  async watchdog(): Promise<string> {
    const now = Date.now();
    const ids = await this.runs.idsWithStatus([S.STARTING, S.RUNNING, S.AUTO_VALIDATING]);
    let failed = 0;
    for (const run of (await this.runs.getMany(ids)).filter((r): r is Run => r !== null)) {
      const enteredAt = run.statusHistory.findLast((t) => t.to === run.status)?.at ?? run.updatedAt;
      if (run.status === S.STARTING && now - enteredAt.getTime() > this.env.STARTUP_TIMEOUT_S * 1000) {
        failed += await this.fail(run.id, RunFailure.StartupTimeout, `the worker did not report ai.run.started within ${this.env.STARTUP_TIMEOUT_S} s`, 'watchdog');
      }
      const lastSign = run.lastHeartbeat ?? run.startedAt ?? enteredAt;
      if (run.status !== S.STARTING && now - lastSign.getTime() > this.env.HEARTBEAT_TIMEOUT_S * 1000) {
        failed += await this.fail(run.id, RunFailure.HeartbeatTimeout, `no heartbeat for more than ${this.env.HEARTBEAT_TIMEOUT_S} s`, 'watchdog');
      }
    }
    return `${ids.length} active runs checked, ${failed} failed`;
  }

  /**
   * Terminates provider pods that belong to no live run (a crash left them, a duplicate, a run that
   * ended); the next pass checks they are gone. Frees the slots of runs whose pod is gone and
   * renews the leases of the others.
   */
  async reap(): Promise<string> {
    const pods = await this.provider.list();
    const runOfPod = await this.runsById(pods.flatMap((p) => (p.runId ? [p.runId] : [])));
    let terminated = 0;
    for (const pod of pods) {
      const run = (pod.runId && runOfPod.get(pod.runId)) || null;
      const reason = this.orphanReason(pod, run);
      if (!reason) continue;
      try {
        await this.provider.terminate(pod.id);
        terminated++;
        this.logger.warn({ runId: pod.runId, podId: pod.id, reason }, 'reaper terminated a pod');
        if (run && run.provisioning?.podId === pod.id) await this.podGone({ ...pod, status: 'terminated' });
      } catch (error) {
        this.logger.error({ runId: pod.runId, podId: pod.id, err: error }, 'reaper could not terminate a pod; next pass retries');
      }
    }
    const alive = new Set(pods.filter((p) => p.status === 'starting' || p.status === 'running').map((p) => p.id));
    let released = 0;
    const holders = await this.slots.holders();
    // Read after the terminations above: a run whose pod was just ended has released its slot already.
    const runOfHolder = await this.runsById(holders);
    for (const runId of holders) {
      const run = runOfHolder.get(runId);
      const podId = run?.provisioning?.podId;
      const podGone = podId !== null && podId !== undefined && !alive.has(podId) && this.provider.name !== 'local';
      const writeupRunning = run?.provisioning?.mode === 'writeup' && run.writeup?.active;
      if (!run || (DONE.has(run.status) && !writeupRunning) || podGone || run.provisioning?.terminatedAt) {
        await this.slots.release(runId);
        released++;
      } else {
        await this.slots.renew(runId);
      }
    }
    return `${pods.length} pods seen, ${terminated} terminated, ${released} slots released`;
  }

  /** One store read for many runs; unknown ids are absent from the map. */
  private async runsById(ids: string[]): Promise<Map<string, Run>> {
    const runs = ids.length > 0 ? await this.runs.getMany([...new Set(ids)]) : [];
    return new Map(runs.filter((r): r is Run => r !== null).map((r) => [r.id, r]));
  }

  /** A pod ended (its process exited, or the reaper found it gone): bookkeeping, and a run still waiting on it fails. */
  async podGone(pod: ProviderPod): Promise<void> {
    if (!pod.runId) return;
    await this.console.flushAll();
    const run = await this.runs.get(pod.runId);
    if (run.provisioning?.podId !== pod.id) return;
    if (!run.provisioning.terminatedAt) {
      await this.runs.recordProvisioning(run.id, { terminatedAt: new Date(), exitCode: pod.exitCode ?? null });
    }
    await this.slots.release(run.id);
    await this.runTokens.revoke(run.id);
    if (run.provisioning.mode === 'writeup') {
      await this.runs.finishWriteup(run.id, `worker exited with code ${pod.exitCode ?? 'unknown'}`);
      return;
    }
    if (LIVE.has(run.status)) {
      await this.fail(run.id, RunFailure.WorkerExited, `the worker exited (code ${pod.exitCode ?? 'unknown'}) before the run finished`, 'orchestrator');
    }
  }

  private orphanReason(pod: ProviderPod, run: Run | null): string | null {
    if (!run) return 'no such run';
    if (run.provisioning?.podId !== pod.id) return 'not the run\'s current pod';
    if (pod.status === 'exited') return 'the worker exited';
    // A writeup retry runs on a finished (even FAILED) run: its pod lives as long as the retry.
    if (run.provisioning.mode === 'writeup') return run.writeup?.active ? null : 'the writeup retry is over';
    if (DONE.has(run.status)) return `run is ${run.status}`;
    const finished = run.status === S.AWAITING_HUMAN || run.status === S.COMPLETED;
    if (finished && !run.writeup?.active && Date.now() - run.updatedAt.getTime() > FINISHED_GRACE_MS) return `run is ${run.status}`;
    return null;
  }

  /** Creates the pod, recording every attempt; on failure the run fails with the provisioning log. */
  private async provision(runId: string, mode: Mode, orchestratorUrl: string): Promise<ProviderPod | null> {
    const requestedAt = new Date();
    await this.runs.recordProvisioning(runId, {
      provider: this.provider.name,
      mode,
      requestedAt,
      podId: null,
      podName: null,
      attempts: [],
      createdAt: null,
      readyAt: null,
      terminatedAt: null,
      exitCode: null,
      error: null,
    });
    const token = await this.runTokens.issue(runId);
    const spec: PodSpec = {
      runId,
      name: `orchestrator-run-${runId}`,
      labels: { app: 'orchestrator', runId, mode },
      env: { ...parsePodEnv(this.env.POD_ENV), RUN_ID: runId, ORCHESTRATOR_URL: orchestratorUrl, RUN_TOKEN: token, WORKER_MODE: mode },
    };
    await this.log(runId, LogLevel.INFO, `provisioning a ${mode} pod on ${this.provider.name}`);
    try {
      const { pod, attempts } = await this.provider.create(spec);
      await this.runs.recordProvisioning(runId, {
        podId: pod.id,
        podName: pod.name,
        gpuType: pod.gpuType,
        region: pod.region,
        costPerHour: pod.costPerHour,
        sshCommand: pod.ssh?.command ?? null,
        attempts,
        createdAt: new Date(),
      });
      await this.log(runId, LogLevel.INFO, `pod ${pod.id} created${pod.gpuType ? ` (${pod.gpuType})` : ''}`);
      return pod;
    } catch (error) {
      if (!(error instanceof ProvisioningFailedError)) throw error;
      await this.runs.recordProvisioning(runId, { attempts: error.attempts, error: error.message });
      await this.log(runId, LogLevel.ERROR, error.message);
      await this.slots.release(runId);
      await this.runTokens.revoke(runId);
      if (mode === 'full') await this.fail(runId, RunFailure.ProvisioningFailed, error.message, 'orchestrator');
      return null;
    }
  }

  private async awaitReady(runId: string, podId: string): Promise<void> {
    try {
      const pod = await this.provider.waitUntilReady(podId);
      await this.runs.recordProvisioning(runId, {
        readyAt: new Date(),
        gpuType: pod.gpuType,
        region: pod.region,
        costPerHour: pod.costPerHour,
        sshCommand: pod.ssh?.command ?? null,
      });
    } catch (error) {
      if (!(error instanceof PodNotReadyError)) throw error;
      await this.log(runId, LogLevel.ERROR, error.message);
      await this.fail(runId, RunFailure.PodNotReady, error.message, 'orchestrator');
      await this.stop(runId, 'pod not ready');
    }
  }

  /** FAILED through the state machine; 0 when the run had already moved on (nothing to fail). */
  private async fail(runId: string, errorType: RunFailure, message: string, by: string): Promise<number> {
    try {
      await this.runs.transition(runId, {
        to: S.FAILED,
        at: new Date(),
        by,
        reason: message,
        patch: { failedAt: new Date(), errorType, errorMessage: message, errorTraceback: null },
      });
      this.logger.warn({ runId, errorType }, 'run failed by the orchestrator');
      return 1;
    } catch {
      return 0;
    }
  }

  private async tryTransition(runId: string, to: RunStatus, reason: string): Promise<boolean> {
    try {
      await this.runs.transition(runId, { to, at: new Date(), by: 'orchestrator', reason });
      return true;
    } catch {
      return false;
    }
  }

  /** No free slot (or not listening yet): back in the queue in a few seconds, without using up an attempt. */
  private async stepBack(job: Job, token: string | undefined): Promise<never> {
    await job.moveToDelayed(Date.now() + STEP_BACK_MS, token);
    throw new DelayedError();
  }

  /** Unexpected errors are retried by BullMQ; when the last attempt fails too, the run fails with the reason. */
  private async withFailureOnLastAttempt(job: Job, run: Run, work: () => Promise<string>): Promise<string> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DelayedError) throw error;
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      this.logger.error({ runId: run.id, attempt: job.attemptsMade + 1, err: error }, 'start job failed');
      if (last) {
        await this.fail(run.id, RunFailure.OrchestrationError, `could not start the run: ${(error as Error).message}`, 'orchestrator');
        await this.stop(run.id, 'start job failed');
      }
      throw error;
    }
  }

  private log(runId: string, level: LogLevel, message: string): Promise<void> {
    return this.events.recordLogs(runId, 'orchestrator', [{ time: new Date(), level, message }]);
  }

  /**
   * Where pods reach the orchestrator: PUBLIC_URL, else the address this server listens on; null
   * while it is not listening (before listen, during shutdown), when jobs wait for it.
   */
  private orchestratorUrl(): string | null {
    if (this.env.PUBLIC_URL) return this.env.PUBLIC_URL;
    const address = this.http.httpAdapter.getHttpServer()?.address();
    return address && typeof address === 'object' ? listeningUrl(this.env.HOST, address.port) : null;
  }
}
