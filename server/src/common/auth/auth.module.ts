import { Global, Module } from '@nestjs/common';
import { Authenticator } from './authenticator.js';

/** Authentication for HTTP (AuthMiddleware) and graphql-ws connections. Run tokens come from RUN_TOKEN_RESOLVER. */
@Global()
@Module({ providers: [Authenticator], exports: [Authenticator] })
export class AuthModule {}
