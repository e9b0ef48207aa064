import { appendFileSync } from 'node:fs';
import { awaitNoTestProcesses } from '../../support/test-processes.js';

/** What one scenario counts; the reporter adds them up into the table. */
export interface ScenarioCounts {
  faultsInjected: number;
  requestsSent: number;
  inputsTried: number;
  /** 503 SERVICE_UNAVAILABLE with a reason and Retry-After, that the client retried: the documented answer to a fault. */
  retried503: number;
  /** Any other 5xx: a bug. */
  serverErrors: number;
  eventsLost: number;
  eventsDoubleApplied: number;
  leakedPods: number;
  leakedProcesses: number;
}

/** Counts of one scenario, written for the reporter when it ends. */
export class Scenario {
  readonly counts: ScenarioCounts = {
    faultsInjected: 0,
    requestsSent: 0,
    inputsTried: 0,
    retried503: 0,
    serverErrors: 0,
    eventsLost: 0,
    eventsDoubleApplied: 0,
    leakedPods: 0,
    leakedProcesses: 0,
  };
  readonly details: Record<string, unknown> = {};
  private readonly startedAt = Date.now();

  constructor(readonly name: string) {}

  /** Counts a response by its status. */
  response(status: number): void {
    this.counts.requestsSent++;
    if (status === 503) this.counts.retried503++;
    else if (status >= 500) this.counts.serverErrors++;
  }

  /** A fetch that counts what it sends and what comes back. */
  readonly fetch = async (input: string | URL, init?: RequestInit): Promise<Response> => {
    try {
      const response = await fetch(input, init);
      this.response(response.status);
      return response;
    } catch (error) {
      this.counts.requestsSent++;
      throw error;
    }
  };

  record(): void {
    const file = process.env.RELIABILITY_METRICS_FILE;
    const row = { scenario: this.name, ...this.counts, seconds: Math.round((Date.now() - this.startedAt) / 100) / 10, details: this.details };
    if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
  }
}

/** Waits up to `ms` for this run's processes to be gone and returns those still there. */
export async function awaitNoLeftovers(ms = 5000): Promise<string[]> {
  return (await awaitNoTestProcesses(ms)).map((p) => `${p.pid} ${p.cmdline}`);
}

/** An integer from the environment (RELIABILITY_*), for shortened CI passes. */
export function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
