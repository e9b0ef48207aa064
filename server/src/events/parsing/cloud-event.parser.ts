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

// JSON.parse makes "__proto__" an own property; dropping it keeps it out of every later copy.
const withoutProtoKeys = (key: string, value: unknown) => (key === '__proto__' ? undefined : value);

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
    raw = JSON.parse(text, withoutProtoKeys);
  } catch (error) {
    return fail(`malformed JSON: ${(error as Error).message}`, { rule: 'json' });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('an event must be a JSON object', { rule: 'isObject' });

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
