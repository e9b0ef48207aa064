import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A pod as the fake stores it; the JSON it serves follows RunPod's REST v1 `Pod`. */
export interface FakePod {
  id: string;
  name: string;
  imageName: string;
  gpuTypeId: string;
  gpuCount: number;
  containerDiskInGb: number | null;
  volumeInGb: number | null;
  ports: string[];
  env: Record<string, string>;
  dockerStartCmd: string[];
  desiredStatus: 'RUNNING' | 'EXITED' | 'TERMINATED';
  createdAt: number;
  sshPort: number;
  costPerHr: number;
  dataCenterId: string;
}

export interface FakeCall {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
  status: number;
}

export type FakeRoute = 'create' | 'get' | 'list' | 'terminate';

export interface FakeFailure {
  status?: number;
  error?: string;
  /** Create the pod anyway, then answer with the error (RunPod has done this on 5xx). */
  createAnyway?: boolean;
}

interface Scripted {
  route: FakeRoute;
  remaining: number;
  failure?: FakeFailure;
  delayMs?: number;
}

// What RunPod's REST API answers when a GPU type has no free machine.
export const NO_CAPACITY_ERROR =
  'create pod: There are no longer any instances available with the requested specifications. Please refresh and try again.';

const PUBLIC_IP = '203.0.113.7';

/**
 * A local stand-in for RunPod's REST API v1 (POST/GET /pods, GET/DELETE /pods/{id}) with knobs to
 * script capacity, failures, slowness and readiness. Every request is logged in `calls`.
 */
export class FakeRunPod {
  readonly pods = new Map<string, FakePod>();
  readonly calls: FakeCall[] = [];
  /** How long a new pod takes to get its public IP and port mappings. */
  readyAfterMs: number;
  private readonly unavailable = new Set<string>();
  private readonly scripted: Scripted[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private neverReady = false;
  private nextPort = 40_000;

  private readonly server: Server;
  private port = 0;

  private constructor(
    readonly apiKey: string,
    readyAfterMs: number,
  ) {
    this.readyAfterMs = readyAfterMs;
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  }

  static async start({ apiKey = `rpa_${randomBytes(16).toString('hex')}`, readyAfterMs = 100 } = {}): Promise<FakeRunPod> {
    const fake = new FakeRunPod(apiKey, readyAfterMs);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', resolve);
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** The base URL, like https://rest.runpod.io/v1. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Whether a GPU type has free machines (all do until told otherwise). */
  setCapacity(gpuType: string, available: boolean): void {
    if (available) this.unavailable.delete(gpuType);
    else this.unavailable.add(gpuType);
  }

  /** The next `count` requests to `route` fail with `failure` (default 500 "Internal server error"). */
  failNext(route: FakeRoute, count: number, failure: FakeFailure = {}): void {
    this.scripted.push({ route, remaining: count, failure });
  }

  /** The next `count` requests to `route` answer only after `delayMs` (dropped if the client gave up). */
  delayNext(route: FakeRoute, count: number, delayMs: number): void {
    this.scripted.push({ route, remaining: count, delayMs });
  }

  /** The next `count` deletes fail with a 500. */
  failTerminate(count: number, failure: FakeFailure = {}): void {
    this.failNext('terminate', count, failure);
  }

  /** Pods stay without public IP and port mappings, as when an image never starts. */
  setNeverReady(neverReady: boolean): void {
    this.neverReady = neverReady;
  }

  /** A pod created outside the code under test (someone else's, or an earlier run's). */
  addPod(overrides: Partial<FakePod> & Pick<FakePod, 'name'>): FakePod {
    const pod = this.newPod({ gpuTypeId: 'NVIDIA RTX A4000', imageName: 'other/image', env: {}, ...overrides });
    this.pods.set(pod.id, pod);
    return pod;
  }

  callsTo(route: FakeRoute): FakeCall[] {
    return this.calls.filter((call) => routeOf(call.method, call.path) === route);
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname.replace(/^\/v1/, '');
    const body = await readJson(req);
    const call: FakeCall = {
      method: req.method ?? 'GET',
      path,
      query: Object.fromEntries(url.searchParams),
      body,
      authorization: req.headers.authorization,
      status: 0,
    };
    this.calls.push(call);
    const send = (status: number, payload?: unknown) => {
      call.status = status;
      if (res.destroyed) return;
      res.writeHead(status, payload === undefined ? {} : { 'content-type': 'application/json' });
      res.end(payload === undefined ? undefined : JSON.stringify(payload));
    };
    const fail = (status: number, error: string) => send(status, { error, status });

    if (req.headers.authorization !== `Bearer ${this.apiKey}`) return fail(401, 'Unauthorized');
    const route = routeOf(call.method, path);
    if (!route) return fail(404, 'not found');

    const script = this.take(route);
    if (script?.delayMs) {
      const gaveUp = await this.wait(script.delayMs, res);
      if (gaveUp) {
        call.status = -1;
        return;
      }
    }
    if (script?.failure) {
      if (script.failure.createAnyway && route === 'create') this.create(body);
      return fail(script.failure.status ?? 500, script.failure.error ?? 'Internal server error');
    }

    const id = decodeURIComponent(path.split('/')[2] ?? '');
    switch (route) {
      case 'create': {
        const problem = validateCreate(body);
        if (problem) return fail(400, problem);
        const gpuType = (body as { gpuTypeIds: string[] }).gpuTypeIds[0];
        if (this.unavailable.has(gpuType)) return fail(500, NO_CAPACITY_ERROR);
        return send(201, this.toJson(this.create(body), false));
      }
      case 'list': {
        const name = url.searchParams.get('name');
        const pods = [...this.pods.values()].filter((pod) => name === null || pod.name === name);
        return send(200, pods.map((pod) => this.toJson(pod, url.searchParams.get('includeMachine') === 'true')));
      }
      case 'get': {
        const pod = this.pods.get(id);
        return pod ? send(200, this.toJson(pod, url.searchParams.get('includeMachine') === 'true')) : fail(404, 'pod not found');
      }
      case 'terminate': {
        // A terminated pod disappears from the account, as on RunPod.
        return this.pods.delete(id) ? send(204) : fail(404, 'pod not found');
      }
    }
  }

  private take(route: FakeRoute): Scripted | undefined {
    const index = this.scripted.findIndex((s) => s.route === route && s.remaining > 0);
    if (index < 0) return undefined;
    const script = this.scripted[index];
    script.remaining -= 1;
    if (script.remaining === 0) this.scripted.splice(index, 1);
    return script;
  }

  /** Resolves true when the client disconnected before the delay ended. */
  private wait(ms: number, res: ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        res.off('close', onClose);
        resolve(false);
      }, ms);
      const onClose = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        resolve(true);
      };
      this.timers.add(timer);
      res.once('close', onClose);
    });
  }

  private create(body: unknown): FakePod {
    const input = body as { name: string; imageName: string; gpuTypeIds: string[]; gpuCount?: number; containerDiskInGb?: number; volumeInGb?: number; ports?: string[]; env?: Record<string, string>; dockerStartCmd?: string[] };
    const pod = this.newPod({
      name: input.name,
      imageName: input.imageName,
      gpuTypeId: input.gpuTypeIds[0],
      gpuCount: input.gpuCount ?? 1,
      containerDiskInGb: input.containerDiskInGb ?? null,
      volumeInGb: input.volumeInGb ?? null,
      ports: input.ports ?? ['8888/http', '22/tcp'],
      env: input.env ?? {},
      dockerStartCmd: input.dockerStartCmd ?? [],
    });
    this.pods.set(pod.id, pod);
    return pod;
  }

  private newPod(fields: Partial<FakePod> & Pick<FakePod, 'name' | 'imageName' | 'gpuTypeId' | 'env'>): FakePod {
    return {
      id: randomBytes(7).toString('hex'),
      gpuCount: 1,
      containerDiskInGb: 30,
      volumeInGb: 50,
      ports: ['22/tcp'],
      dockerStartCmd: [],
      desiredStatus: 'RUNNING',
      createdAt: Date.now(),
      sshPort: this.nextPort++,
      costPerHr: 0.25,
      dataCenterId: 'EU-RO-1',
      ...fields,
    };
  }

  private toJson(pod: FakePod, includeMachine: boolean): Record<string, unknown> {
    const ready = pod.desiredStatus === 'RUNNING' && !this.neverReady && Date.now() - pod.createdAt >= this.readyAfterMs;
    const mappings = Object.fromEntries(
      pod.ports.filter((p) => p.endsWith('/tcp')).map((p) => [p.split('/')[0], p.startsWith('22/') ? pod.sshPort : pod.sshPort + 1000]),
    );
    return {
      id: pod.id,
      name: pod.name,
      image: pod.imageName,
      desiredStatus: pod.desiredStatus,
      costPerHr: pod.costPerHr,
      gpu: { id: pod.gpuTypeId, count: pod.gpuCount, displayName: pod.gpuTypeId },
      containerDiskInGb: pod.containerDiskInGb,
      volumeInGb: pod.volumeInGb,
      ports: pod.ports,
      env: pod.env,
      dockerStartCmd: pod.dockerStartCmd,
      publicIp: ready ? PUBLIC_IP : '',
      portMappings: ready ? mappings : {},
      lastStartedAt: new Date(pod.createdAt).toISOString(),
      ...(includeMachine
        ? { machine: { gpuTypeId: pod.gpuTypeId, location: 'RO', dataCenterId: pod.dataCenterId, gpuDisplayName: pod.gpuTypeId } }
        : {}),
    };
  }
}

function routeOf(method: string, path: string): FakeRoute | null {
  if (path === '/pods') return method === 'POST' ? 'create' : method === 'GET' ? 'list' : null;
  if (/^\/pods\/[^/]+$/.test(path)) return method === 'GET' ? 'get' : method === 'DELETE' ? 'terminate' : null;
  return null;
}

// The checks RunPod makes that a client of ours could get wrong.
function validateCreate(body: unknown): string | null {
  const input = body as Record<string, unknown> | null;
  if (!input || typeof input !== 'object') return 'request body must be a JSON object';
  if (typeof input.imageName !== 'string' || !input.imageName) return 'imageName is required';
  if (typeof input.name !== 'string' || input.name.length > 191) return 'name must be a string of at most 191 characters';
  if (!Array.isArray(input.gpuTypeIds) || input.gpuTypeIds.length === 0) return 'gpuTypeIds must be a non-empty array';
  if (input.env !== undefined && (typeof input.env !== 'object' || Object.values(input.env as object).some((v) => typeof v !== 'string'))) {
    return 'env values must be strings';
  }
  if (input.ports !== undefined && (!Array.isArray(input.ports) || input.ports.some((p) => typeof p !== 'string' || !/^\d+\/(tcp|http)$/.test(p)))) {
    return 'ports must look like "22/tcp"';
  }
  if (input.dockerStartCmd !== undefined && (!Array.isArray(input.dockerStartCmd) || input.dockerStartCmd.some((p) => typeof p !== 'string'))) {
    return 'dockerStartCmd must be an array of strings';
  }
  return null;
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
