import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { DynamicModule, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { AuthModule } from './common/auth/auth.module.js';
import { Authenticator } from './common/auth/authenticator.js';
import { AuthMiddleware } from './common/auth/auth.middleware.js';
import { AllExceptionsFilter } from './common/errors/all-exceptions.filter.js';
import { createValidationPipe } from './common/errors/validation-pipe.js';
import { graphqlOptions, graphqlWsOptions } from './common/graphql/graphql-options.js';
import { GRAPHQL_WS_OPTIONS, GraphqlWsGateway, type GraphqlWsOptionsFactory } from './common/graphql/graphql-ws.gateway.js';
import type { QueryLimits } from './common/graphql/query-limits.js';
import { ConfigModule } from './config/config.module.js';
import { Env } from './config/env.js';
import { AnalysisModule } from './analysis/analysis.module.js';
import { ArtifactsModule } from './artifacts/artifacts.module.js';
import { ObjectStorageModule } from './artifacts/storage/object-storage.module.js';
import { EventsModule } from './events/events.module.js';
import { HealthModule } from './health/health.module.js';
import { OverviewModule } from './overview/overview.module.js';
import { OrchestratorWorkerModule } from './pods/orchestrator-worker.module.js';
import { ValidationModule } from './validation/validation.module.js';
import { ValidatorWorkerModule } from './validation/validator-worker.module.js';
import { HypothesesModule } from './hypotheses/hypotheses.module.js';
import { LlmModule } from './infra/llm/llm.module.js';
import { loggerOptions } from './infra/logging/logger-options.js';
import { PersistenceModule } from './infra/persistence/persistence.module.js';
import { PubSubModule } from './infra/pubsub/pubsub.module.js';
import { QueuesModule } from './infra/queues/queues.module.js';
import { RedisEndpoint, RedisModule } from './infra/redis/redis.module.js';
import { RunsModule } from './runs/runs.module.js';
import { RunTokensModule } from './events/run-tokens/run-tokens.module.js';

const queryLimits = (env: Env): QueryLimits => ({ maxDepth: env.GRAPHQL_MAX_DEPTH, maxCost: env.GRAPHQL_MAX_COST });

/** The product's feature modules; their resolvers make up the GraphQL schema. */
export const FEATURE_MODULES = [HealthModule, RunsModule, HypothesesModule, ArtifactsModule, ValidationModule, EventsModule, AnalysisModule, OverviewModule];

@Module({})
export class AppModule implements NestModule {
  static forRoot(env: Env, redis: RedisEndpoint): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(env),
        LoggerModule.forRoot(loggerOptions(env)),
        RedisModule.forRoot(redis),
        PersistenceModule.forRoot(env),
        ObjectStorageModule.forRoot(env),
        QueuesModule,
        PubSubModule,
        LlmModule,
        RunTokensModule,
        AuthModule,
        GraphQLModule.forRootAsync<ApolloDriverConfig>({
          driver: ApolloDriver,
          inject: [PinoLogger, Env],
          useFactory: (logger: PinoLogger, env: Env) => graphqlOptions(logger, queryLimits(env)),
        }),
        ...FEATURE_MODULES,
        OrchestratorWorkerModule.forRoot(env),
        ValidatorWorkerModule.forRoot(env),
      ],
      providers: [
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
        {
          provide: GRAPHQL_WS_OPTIONS,
          inject: [Authenticator, Env],
          useFactory: (authenticator: Authenticator, env: Env): GraphqlWsOptionsFactory => (schema) => graphqlWsOptions(authenticator, queryLimits(env), schema),
        },
        GraphqlWsGateway,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer) {
    consumer.apply(AuthMiddleware).forRoutes({ path: '{*splat}', method: RequestMethod.ALL });
  }
}
