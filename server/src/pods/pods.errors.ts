/** Why the orchestrator failed a run (Run.errorType). */
export enum RunFailure {
  ProvisioningFailed = 'PROVISIONING_FAILED',
  PodNotReady = 'POD_NOT_READY',
  StartupTimeout = 'STARTUP_TIMEOUT',
  HeartbeatTimeout = 'HEARTBEAT_TIMEOUT',
  WorkerExited = 'WORKER_EXITED',
  OrchestrationError = 'ORCHESTRATION_ERROR',
}
