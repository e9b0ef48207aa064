import type { PodSpec, ProviderPod, SshInfo } from '../compute-provider.js';

/** The fields of a RunPod REST v1 `Pod` we read. */
export interface RunPodPod {
  id: string;
  name?: string | null;
  desiredStatus?: string | null;
  costPerHr?: number | string | null;
  env?: Record<string, string> | null;
  publicIp?: string | null;
  portMappings?: Record<string, number> | null;
  gpu?: { id?: string | null } | null;
  machine?: { gpuTypeId?: string | null; location?: string | null; dataCenterId?: string | null } | null;
}

// RunPod has no labels: they travel as env; a name like orchestrator-run-<runId> is the fallback.
export const LABEL_ENV = {
  app: 'ORCHESTRATOR_APP',
  runId: 'ORCHESTRATOR_RUN_ID',
  mode: 'ORCHESTRATOR_MODE',
  deployment: 'ORCHESTRATOR_DEPLOYMENT',
} as const;
const NAME_PATTERN = /^orchestrator-run-(.+)$/;

export function labelEnv(spec: PodSpec, deploymentId: string | undefined): Record<string, string> {
  return {
    [LABEL_ENV.app]: spec.labels.app,
    [LABEL_ENV.runId]: spec.labels.runId,
    [LABEL_ENV.mode]: spec.labels.mode,
    ...(deploymentId ? { [LABEL_ENV.deployment]: deploymentId } : {}),
  };
}

/** The run a pod belongs to, or null when it is not ours (or belongs to another deployment). */
export function runIdOf(pod: RunPodPod, deploymentId: string | undefined): string | null {
  const env = pod.env ?? {};
  const labelled = env[LABEL_ENV.app] === 'orchestrator' && env[LABEL_ENV.runId] ? env[LABEL_ENV.runId] : null;
  if (deploymentId) {
    // With several deployments on one account, only the label proves whose pod it is.
    return labelled && env[LABEL_ENV.deployment] === deploymentId ? labelled : null;
  }
  return labelled ?? NAME_PATTERN.exec(pod.name ?? '')?.[1] ?? null;
}

/** Ready means RUNNING with a public IP and every exposed TCP port mapped (both are empty while the container starts). */
export function toProviderPod(pod: RunPodPod, tcpPorts: number[], deploymentId: string | undefined): ProviderPod {
  const ssh = sshInfo(pod);
  const machine = pod.machine ?? {};
  return {
    id: pod.id,
    name: pod.name ?? '',
    runId: runIdOf(pod, deploymentId),
    status: statusOf(pod, tcpPorts),
    gpuType: machine.gpuTypeId ?? pod.gpu?.id ?? null,
    region: machine.dataCenterId ?? machine.location ?? null,
    costPerHour: costOf(pod.costPerHr),
    ssh,
  };
}

function statusOf(pod: RunPodPod, tcpPorts: number[]): ProviderPod['status'] {
  switch (pod.desiredStatus) {
    case 'RUNNING': {
      const mapped = tcpPorts.every((port) => typeof pod.portMappings?.[String(port)] === 'number');
      return pod.publicIp && mapped ? 'running' : 'starting';
    }
    case 'EXITED':
      return 'exited';
    case 'TERMINATED':
      return 'terminated';
    default:
      return 'unknown';
  }
}

function sshInfo(pod: RunPodPod): SshInfo | null {
  const host = pod.publicIp;
  const port = pod.portMappings?.['22'];
  if (!host || typeof port !== 'number') return null;
  return { host, port, user: 'root', command: `ssh root@${host} -p ${port}` };
}

function costOf(value: number | string | null | undefined): number | null {
  // The API documents a number but its example is a string ("0.74").
  const cost = typeof value === 'string' ? Number(value) : value;
  return typeof cost === 'number' && Number.isFinite(cost) ? cost : null;
}

export function isRunPodPod(value: unknown): value is RunPodPod {
  return !!value && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string';
}

/** TCP ports from `"22/tcp"`-style entries. */
export function tcpPortsOf(ports: string[]): number[] {
  return ports.flatMap((entry) => {
    const match = /^(\d+)\/tcp$/.exec(entry.trim());
    return match ? [Number(match[1])] : [];
  });
}
