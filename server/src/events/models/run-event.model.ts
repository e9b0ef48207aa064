import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-type-json';
import { ConnectionType } from '../../common/pagination/connection.js';
import { LogLevel, type StoredEvent } from '../event.js';

registerEnumType(LogLevel, { name: 'LogLevel' });

@ObjectType('RunEvent', { description: 'A CloudEvent as stored: seq is its position in the run\'s feed.' })
export class RunEventModel {
  @Field(() => ID, { description: 'The CloudEvent id.' })
  id: string;

  @Field(() => Int, { description: 'Position in the run\'s feed (1, 2, 3... in storing order): use it as afterSeq.' })
  seq: number;

  @Field()
  type: string;

  @Field()
  source: string;

  @Field(() => Int, { nullable: true, description: 'The emitter\'s own counter (the seq extension).' })
  sourceSeq: number | null;

  @Field()
  time: Date;

  @Field()
  receivedAt: Date;

  @Field(() => GraphQLJSON)
  data: Record<string, unknown>;

  @Field(() => LogLevel, { nullable: true })
  level: LogLevel | null;

  @Field({ description: 'False for a type outside the catalogue: stored and shown, not applied.' })
  known: boolean;

  @Field(() => String, { nullable: true, description: 'What applying it did, when worth telling (a refused status change...).' })
  outcome: string | null;

  @Field(() => String, { nullable: true })
  traceparent: string | null;
}

@ObjectType('LogLine')
export class LogLineModel {
  @Field(() => ID)
  id: string;

  @Field(() => Int)
  seq: number;

  @Field()
  time: Date;

  @Field(() => LogLevel)
  level: LogLevel;

  @Field()
  message: string;

  @Field({ description: 'Where the line comes from: data.source when the worker names it, else the event source.' })
  source: string;

  @Field(() => GraphQLJSON, { nullable: true })
  kv: Record<string, unknown> | null;
}

export const RunEventConnection = ConnectionType(RunEventModel, 'RunEvent');
export const LogLineConnection = ConnectionType(LogLineModel, 'LogLine');

@ObjectType('IssuedRunToken')
export class IssuedRunTokenModel {
  @Field(() => ID)
  runId: string;

  @Field({ description: 'Shown once: only its hash is stored.' })
  token: string;
}

export const toRunEventModel = (event: StoredEvent): RunEventModel => event;

export const toLogLineModel = (event: StoredEvent): LogLineModel => ({
  id: event.id,
  seq: event.seq,
  time: event.time,
  level: event.level!,
  message: event.message ?? '',
  source: typeof event.data.source === 'string' ? event.data.source : event.source,
  kv: (event.data.kv as Record<string, unknown> | undefined) ?? null,
});
