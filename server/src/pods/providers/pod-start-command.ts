export interface PodStartOptions {
  /** Shell scripts run in order, each in its own `bash -e -o pipefail`; the first failure skips the rest and the worker. */
  setupScripts: string[];
  /** The worker's argv; every element is quoted, never interpreted by the shell. */
  workerCommand: string[];
  /**
   * Written just before the worker starts. If the container restarts (RunPod restarts a container
   * whose command ended), the marker makes the script terminate the pod instead of running the
   * worker a second time. Keep it on the pod volume (default `/workspace`).
   */
  startedMarkerPath?: string;
  /** Tries of `runpodctl remove pod` before the fallback (default 3). */
  terminateRetries?: number;
  /** Pause between those tries (default 5 s). */
  terminateRetryDelaySeconds?: number;
  /**
   * Shell code run when runpodctl cannot remove the pod, and only inside a RunPod pod
   * (RUNPOD_POD_ID set). Default `kill 1`: stops the container's init; after it the script exits,
   * which also stops the container when the script itself is PID 1.
   */
  fallbackStopCommand?: string;
}

export const DEFAULT_STARTED_MARKER = '/workspace/.orchestrator-worker-started';

/** Quotes one word for bash: the result is always read back as exactly `value`. */
export function shellQuote(value: string): string {
  if (value.includes('\0')) throw new Error('a shell word cannot contain a NUL byte');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The pod's `dockerStartCmd`: bash running {@link buildPodStartScript}. */
export function podStartCommand(options: PodStartOptions): string[] {
  return ['bash', '-lc', buildPodStartScript(options)];
}

/**
 * A bash script that runs the setup scripts (fail fast), then the worker, and ALWAYS removes the
 * pod when the worker exits, whatever its exit code, so a finished or crashed worker never keeps
 * a GPU billing. It holds no secrets: the worker's configuration arrives as pod env.
 */
export function buildPodStartScript(options: PodStartOptions): string {
  if (options.workerCommand.length === 0) throw new Error('workerCommand must not be empty');
  const retries = wholeNumber(options.terminateRetries ?? 3, 'terminateRetries', 1);
  const delay = wholeNumber(options.terminateRetryDelaySeconds ?? 5, 'terminateRetryDelaySeconds', 0);
  const marker = shellQuote(options.startedMarkerPath ?? DEFAULT_STARTED_MARKER);
  const fallback = options.fallbackStopCommand ?? 'kill 1';
  const total = options.setupScripts.length;
  const setup = options.setupScripts.flatMap((script, i) => [
    `log 'setup script ${i + 1} of ${total}'`,
    `bash -e -o pipefail -c ${shellQuote(script)} || { status=$?; log "setup script ${i + 1} failed with exit code $status"; exit; }`,
  ]);

  return [
    'set -uo pipefail',
    'status=0',
    "worker_pid=''",
    `marker=${marker}`,
    `log() { printf '[pod-start] %s\\n' "$*" >&2; }`,
    'terminate_pod() {',
    '  trap - EXIT TERM INT',
    // Outside RunPod (a developer running the image) there is nothing to remove, and PID 1 is not ours.
    '  if [ -z "${RUNPOD_POD_ID:-}" ]; then log "RUNPOD_POD_ID is not set: no pod to terminate"; exit "$status"; fi',
    '  log "terminating pod $RUNPOD_POD_ID (exit code $status)"',
    '  if command -v runpodctl >/dev/null 2>&1; then',
    `    for ((attempt = 1; attempt <= ${retries}; attempt++)); do`,
    '      if runpodctl remove pod "$RUNPOD_POD_ID"; then exit "$status"; fi',
    `      log "runpodctl remove pod failed (try $attempt of ${retries})"`,
    `      if ((attempt < ${retries})); then sleep ${delay}; fi`,
    '    done',
    '  fi',
    '  log "could not remove the pod; stopping its container instead"',
    `  ${fallback}`,
    '  exit "$status"',
    '}',
    // The worker runs in the background so a stop signal reaches the script at once and is passed on.
    'stop_worker() {',
    '  status=$1',
    '  if [ -n "$worker_pid" ]; then kill -TERM "$worker_pid" 2>/dev/null; wait "$worker_pid"; fi',
    '  exit "$status"',
    '}',
    'trap terminate_pod EXIT',
    "trap 'stop_worker 143' TERM",
    "trap 'stop_worker 130' INT",
    'if [ -e "$marker" ]; then',
    '  log "the worker already started in this pod (the container restarted): not running it again"',
    '  status=1',
    '  exit',
    'fi',
    ...setup,
    `mkdir -p "$(dirname "$marker")" && : >"$marker" || log "cannot write $marker"`,
    "log 'starting the worker'",
    `${options.workerCommand.map(shellQuote).join(' ')} &`,
    'worker_pid=$!',
    'wait "$worker_pid"',
    'status=$?',
    'log "worker exited with code $status"',
    'exit',
    '',
  ].join('\n');
}

function wholeNumber(value: number, name: string, min: number): number {
  // Interpolated into the script: anything but a plain integer would be shell code.
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}`);
  return value;
}
