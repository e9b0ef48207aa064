import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { loadEnv } from '../config/env.js';
import { EmbeddedRedis } from '../infra/redis/embedded-redis.js';
import { RedisEndpoint } from '../infra/redis/redis.module.js';
import { resolve } from 'node:path';
import { seedDemoData } from './seed-demo-data.js';

// `npm run seed`: demo data in the configured store (the same variables as `npm start`).
// The app runs here without serving HTTP and without consuming queues: nothing starts a worker.
const env = loadEnv({ ...process.env, PROCESS_JOBS: 'false', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
const embedded = env.REDIS_URL ? null : await EmbeddedRedis.start(resolve(env.DATA_DIR, 'redis'));
try {
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(env, new RedisEndpoint(env.REDIS_URL ?? embedded!.url)), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  const count = Number(process.argv[2] ?? 40);
  const summary = await seedDemoData(app, count);
  process.stdout.write(
    `seeded ${summary.created} hypotheses with runs (${summary.skipped} already there), ${summary.events} events; by status: ${JSON.stringify(summary.byStatus)}\n`,
  );
  await app.close();
} finally {
  await embedded?.stop();
}
