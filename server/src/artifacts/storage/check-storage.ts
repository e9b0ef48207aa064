import 'reflect-metadata';
import { ConfigError, type Env, loadEnv } from '../../config/env.js';
import { createObjectStorage, fsStorageDir, listeningUrl, storageKindOf } from './create-object-storage.js';
import { checkStorage } from './storage-check.js';

// `npm run check:storage`: checks the object storage the current configuration selects, as the server would use it.
function describe(env: Env): string {
  if (storageKindOf(env) === 'fs') return fsStorageDir(env);
  return `${env.MINIO_ENDPOINT}${env.MINIO_PORT ? `:${env.MINIO_PORT}` : ''} bucket ${env.MINIO_BUCKET}`;
}

async function main(): Promise<boolean> {
  const env = loadEnv(process.env);
  const storage = await createObjectStorage(env, () => listeningUrl(env.HOST, env.PORT));
  return checkStorage(storage, { where: describe(env), print: (line) => process.stdout.write(`${line}\n`) });
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : `storage check failed: ${(error as Error).message}`}\n`);
    process.exit(1);
  },
);
