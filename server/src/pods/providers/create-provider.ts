import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Env, hostEnvironment } from '../../config/env.js';
import type { ComputeProvider, ProviderPod } from './compute-provider.js';
import { LocalProvider, type OutputSink } from './local/local.provider.js';
import { RunPodProvider } from './runpod/runpod.provider.js';

// From server/dist/pods/providers (or server/src/... under jest): the built demo worker.
const SERVER_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const DEMO_WORKER = resolve(SERVER_ROOT, 'dist/worker/demo-worker.js');

const words = (command: string) => command.trim().split(/\s+/);

/** The compute provider POD_PROVIDER names, configured from Env. */
export function createProvider(env: Env, hooks: { onOutput: OutputSink; onExit: (pod: ProviderPod) => void }): ComputeProvider {
  if (env.POD_PROVIDER === 'runpod') {
    return new RunPodProvider({
      apiKey: env.RUNPOD_API_KEY!,
      baseUrl: env.RUNPOD_BASE_URL,
      imageName: env.RUNPOD_IMAGE,
      gpuTypes: env.RUNPOD_GPU_TYPES.split(',').map((t) => t.trim()).filter(Boolean),
      gpuCount: env.RUNPOD_GPU_COUNT,
      containerDiskInGb: env.RUNPOD_CONTAINER_DISK_GB,
      volumeInGb: env.RUNPOD_VOLUME_GB,
      ports: env.RUNPOD_PORTS.split(',').map((p) => p.trim()).filter(Boolean),
      setupScripts: env.RUNPOD_SETUP_SCRIPTS ? env.RUNPOD_SETUP_SCRIPTS.split(';;').map((s) => s.trim()).filter(Boolean) : [],
      workerCommand: words(env.RUNPOD_WORKER_COMMAND!),
      readyTimeoutMs: env.RUNPOD_READY_TIMEOUT_S * 1000,
      requestTimeoutMs: env.RUNPOD_REQUEST_TIMEOUT_S * 1000,
      deploymentId: env.ORCHESTRATOR_DEPLOYMENT_ID,
    });
  }
  return new LocalProvider({
    command: env.WORKER_COMMAND ? words(env.WORKER_COMMAND) : [process.execPath, DEMO_WORKER],
    cwd: SERVER_ROOT,
    hostEnv: hostEnvironment(),
    onOutput: hooks.onOutput,
    onExit: hooks.onExit,
  });
}

