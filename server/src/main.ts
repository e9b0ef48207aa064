import 'reflect-metadata';
import { startApp } from './bootstrap.js';
import { ConfigError, loadEnv } from './config/env.js';

async function main() {
  const env = loadEnv(process.env);
  const running = await startApp(env);
  const shutdown = async (signal: string) => {
    process.stderr.write(`${signal}: shutting down\n`);
    await running.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  // Start-up failures (bad configuration, no redis-server) are for a person to read, not a stack trace.
  process.stderr.write(`${error instanceof ConfigError ? error.message : `Start-up failed: ${(error as Error).message}`}\n`);
  process.exit(1);
});
