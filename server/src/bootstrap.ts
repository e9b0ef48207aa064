import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { Logger, PinoLogger } from 'nestjs-pino';
import { existsSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppModule } from './app.module.js';
import { exceptStorageRoutes } from './artifacts/storage/fs/fs-storage.controller.js';
import { Env } from './config/env.js';
import { EmbeddedRedis } from './infra/redis/embedded-redis.js';
import { RedisEndpoint } from './infra/redis/redis.module.js';

export interface RunningApp {
  app: INestApplication;
  /** Base URL the server listens on, e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

const WEB_DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/**
 * Starts the whole product from a validated Env: the embedded redis-server when no REDIS_URL is
 * given, the Nest application, the built web app when present. `close()` stops all of it, in order.
 */
export async function startApp(env: Env): Promise<RunningApp> {
  const embedded = env.REDIS_URL ? null : await EmbeddedRedis.start(resolve(env.DATA_DIR, 'redis'));
  try {
    const redis = new RedisEndpoint(env.REDIS_URL ?? embedded!.url);
    const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env, redis), { bufferLogs: true, bodyParser: false, abortOnError: false });
    app.useLogger(app.get(Logger));
    app.disable('x-powered-by');
    useBodyParsers(app, env);
    if (existsSync(join(WEB_DIST, 'index.html'))) serveWebApp(app);
    await app.listen(env.PORT, env.HOST);
    const address = app.getHttpServer().address() as { port: number };
    const url = `http://${env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST}:${address.port}`;
    const logger = await app.resolve(PinoLogger);
    logger.info(
      { url, store: env.STORE, redis: embedded ? 'embedded' : 'external', auth: env.API_TOKENS ? 'tokens' : 'none' },
      'orchestrator listening',
    );
    return {
      app,
      url,
      close: async () => {
        await app.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}

/**
 * Ingest bodies are read as text (the controller parses JSON and NDJSON itself, line by line,
 * to report errors per line); signed storage uploads are streamed by their controller; the rest is JSON.
 */
function useBodyParsers(app: NestExpressApplication, env: Env) {
  app.use('/api/ingest', express.text({ type: () => true, limit: env.INGEST_MAX_BODY_BYTES }));
  app.use(exceptStorageRoutes(express.json({ limit: '1mb' })));
}

/** The built web app on the same port as the API; unknown non-API paths get index.html (client-side routes). */
function serveWebApp(app: NestExpressApplication) {
  app.use(express.static(WEB_DIST, { index: false, maxAge: '1h' }));
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
    // A browser opening /graphql (HTML preferred over JSON, no query) gets the GraphiQL page.
    const browsing = req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html';
    if (req.method === 'GET' && req.path === '/graphql' && req.query.query === undefined && browsing) return res.redirect(302, '/graphiql');
    const isApi = req.path === '/graphql' || req.path.startsWith('/api/');
    // A missing file (it has an extension) is a 404, not the app.
    if (req.method !== 'GET' || isApi || extname(req.path) !== '' || !req.accepts('html')) return next();
    res.sendFile(join(WEB_DIST, 'index.html'));
  });
}
