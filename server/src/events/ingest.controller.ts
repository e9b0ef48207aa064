import { Body, Controller, HttpStatus, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import type { Principal } from '../common/auth/principal.js';
import { DomainError, ErrorKind } from '../common/errors/domain-error.js';
import { EventsErrorCode } from './events.errors.js';
import { EventsService } from './events.service.js';
import type { LineError } from './parsing/cloud-event.parser.js';
import { IngestRateLimitGuard } from './rate-limit/ingest-rate-limit.guard.js';

const KIND_OF_STATUS: Record<LineError['status'], [ErrorKind, EventsErrorCode]> = {
  400: [ErrorKind.BadUserInput, EventsErrorCode.InvalidEvent],
  403: [ErrorKind.Forbidden, EventsErrorCode.RunTokenForOtherRun],
  404: [ErrorKind.NotFound, EventsErrorCode.RunNotFound],
};

/** Where worker pods post their CloudEvents (spec/events.md). Bodies arrive as raw text (see bootstrap). */
@Controller('api/ingest')
@UseGuards(IngestRateLimitGuard)
export class IngestController {
  constructor(private readonly events: EventsService) {}

  /** One event: 201 accepted, 200 duplicate, or a problem naming the field and the rule. */
  @Post('event')
  async ingestOne(@Body() body: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    const result = await this.events.ingest(body, principal);
    const [line] = result.lines;
    if ('errors' in line) {
      const [first] = line.errors;
      const [kind, reason] = KIND_OF_STATUS[first.status];
      throw new DomainError(kind, reason, line.errors.map((e) => e.message).join('; '), {
        eventId: first.eventId,
        field: first.field,
        rule: first.rule,
        errors: line.errors,
      });
    }
    response.status(line.status === 'accepted' ? HttpStatus.CREATED : HttpStatus.OK);
    return { eventId: line.eventId, status: line.status, ...(line.known ? {} : { unknown: true }) };
  }

  /** An NDJSON batch: 202 when every line is good, 207 with per-line errors otherwise. */
  @Post('events')
  async ingestBatch(@Body() body: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    const { accepted, duplicates, invalid, unknown, errors } = await this.events.ingest(body, principal);
    response.status(invalid === 0 ? HttpStatus.ACCEPTED : HttpStatus.MULTI_STATUS);
    return { accepted, duplicates, invalid, unknown, ...(invalid > 0 ? { errors: errors.map(({ status: _status, ...e }) => e) } : {}) };
  }
}
