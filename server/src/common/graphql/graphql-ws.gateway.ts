import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { GraphQLSchema } from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { PinoLogger } from 'nestjs-pino';
import { serveGraphqlWs, type WsConnection } from './graphql-ws.server.js';

export type GraphqlWsOptions = ServerOptions<Record<string, unknown> | undefined, WsConnection>;

/** What the gateway serves, given the schema once it is built (see graphqlWsOptions). */
export const GRAPHQL_WS_OPTIONS = Symbol('GRAPHQL_WS_OPTIONS');
export type GraphqlWsOptionsFactory = (schema: GraphQLSchema) => GraphqlWsOptions;

/**
 * GraphQL subscriptions (graphql-ws) on /graphql. Served here rather than by @nestjs/graphql's
 * built-in graphql-ws server, whose socket adapter waits for every message to be written before
 * making the next: with a thousand subscribers that is a system call per message (see serveGraphqlWs).
 */
@Injectable()
export class GraphqlWsGateway implements OnApplicationBootstrap, OnModuleDestroy {
  private server?: { close(): Promise<void> };

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly schemaHost: GraphQLSchemaHost,
    @Inject(GRAPHQL_WS_OPTIONS) private readonly options: GraphqlWsOptionsFactory,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(GraphqlWsGateway.name);
  }

  onApplicationBootstrap() {
    this.server = serveGraphqlWs(this.adapterHost.httpAdapter.getHttpServer(), '/graphql', this.options(this.schemaHost.schema), (error) =>
      this.logger.error({ err: error }, 'graphql-ws connection failed'),
    );
  }

  async onModuleDestroy() {
    await this.server?.close();
  }
}
