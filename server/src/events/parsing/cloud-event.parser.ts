import { validateSync, type ValidationError } from 'class-validator';
import { EVENT_CATALOGUE, isKnownType, LOG_TYPE } from '../catalogue/catalogue.js';
import type { RunLogData } from '../catalogue/event-data.dto.js';
import { normaliseData } from '../catalogue/normalise.js';
import type { IncomingEvent } from '../event.js';
import { checkEnvelope } from './cloud-event.envelope.js';

/** A problem with one line of a batch (or the single event): the field, the rule and what is wrong. */
export interface LineError {
  line: number;
  eventId?: string;
  field?: string;
  rule?: string;
  message: string;
  /** 400 bad input, 403 not this token's run, 404 unknown run. */
  status: 400 | 403 | 404;
}

export type ParsedLine = { line: number; event: IncomingEvent } | { line: number; errors: LineError[] };

const VALIDATION = { forbidUnknownValues: false, validationError: { target: false, value: false } };

const MAX_DEPTH = 64;

/**
 * Removes "__proto__" keys (JSON.parse makes them own properties, and a later Object.assign or
 * spread would turn one into a prototype) and measures the nesting depth, without recursion so
 * that hostile nesting cannot exhaust the stack. A reviver would do the first part, but JSON.parse
 * with a reviver is replaced by a lenient polyfill once pdfjs (paper analysis) is loaded.
 */
function sanitise(root: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    deepest = Math.max(deepest, depth);
    if (deepest > MAX_DEPTH) return deepest;
    if (Object.hasOwn(value, '__proto__')) delete (value as Record<string, unknown>).__proto__;
    for (const child of Object.values(value)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return deepest;
}

function violations(errors: ValidationError[], prefix: string): { field: string; rule: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = `${prefix}${error.property}`;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule,
      message: message.startsWith(`${error.property} `) ? `${field} ${message.slice(error.property.length + 1)}` : message,
    }));
    return [...own, ...violations(error.children ?? [], `${field}.`)];
  });
}

/** Validates one line of an ingest request and returns the normalised event, or every problem with it. */
export function parseEventLine(text: string, line: number): ParsedLine {
  const fail = (message: string, extra: Partial<LineError> = {}): ParsedLine => ({ line, errors: [{ line, message, status: 400, ...extra }] });

  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return fail(`malformed JSON: ${(error as Error).message}`, { rule: 'json' });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('an event must be a JSON object', { rule: 'isObject' });
  if (sanitise(raw) > MAX_DEPTH) return fail(`the event nests deeper than ${MAX_DEPTH} levels`, { rule: 'maxDepth' });

  const eventIdOf = (value: unknown) => (typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : undefined);
  const eventId = eventIdOf((raw as Record<string, unknown>).id);
  const { envelope, problems } = checkEnvelope(raw as Record<string, unknown>);
  if (!envelope) return { line, errors: problems.map((p) => ({ line, eventId, status: 400, ...p })) };

  const runIdOfData = envelope.data.run_id;
  if (runIdOfData !== undefined && runIdOfData !== null && (typeof runIdOfData !== 'string' || runIdOfData.toLowerCase() !== envelope.runId)) {
    return fail(`data.run_id (${JSON.stringify(runIdOfData)}) must equal the subject's run id (${envelope.runId})`, {
      eventId,
      field: 'data.run_id',
      rule: 'equals',
    });
  }

  let data = envelope.data;
  const known = isKnownType(envelope.type);
  if (known) {
    data = normaliseData(envelope.data);
    const dto = Object.assign(new (EVENT_CATALOGUE[envelope.type as keyof typeof EVENT_CATALOGUE] as new () => object)(), data);
    const dataProblems = violations(validateSync(dto, VALIDATION), 'data.');
    if (dataProblems.length > 0) return { line, errors: dataProblems.map((p) => ({ line, eventId, status: 400, ...p })) };
  }

  const log = envelope.type === LOG_TYPE ? (data as unknown as RunLogData) : null;
  return {
    line,
    event: {
      id: envelope.id,
      runId: envelope.runId,
      type: envelope.type,
      source: envelope.source,
      sourceSeq: envelope.seq,
      time: envelope.time,
      data,
      traceparent: envelope.traceparent,
      known,
      level: log?.level ?? null,
      message: log?.message ?? null,
    },
  };
}
