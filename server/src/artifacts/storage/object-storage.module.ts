import { DynamicModule, FactoryProvider, Global, Module } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PinoLogger } from 'nestjs-pino';
import type { AddressInfo } from 'node:net';
import { Env } from '../../config/env.js';
import { createObjectStorage, fsStorageDir, listeningUrl, storageKindOf } from './create-object-storage.js';
import { FsStorageController } from './fs/fs-storage.controller.js';
import { FsObjectStorage } from './fs/fs.object-storage.js';
import { OBJECT_STORAGE, type ObjectStorage } from './object-storage.js';

// Where this server listens, once it does: the default base of signed `fs` URLs when PUBLIC_URL is not set.
function serverUrl(adapterHost: HttpAdapterHost, env: Env): string {
  const address = adapterHost.httpAdapter?.getHttpServer()?.address() as AddressInfo | string | null | undefined;
  if (!address || typeof address === 'string') throw new Error('the server is not listening yet: signed storage URLs need PUBLIC_URL or a listening server');
  return listeningUrl(env.HOST, address.port);
}

/**
 * The configured object storage as OBJECT_STORAGE, ready (bucket or directories created) before the
 * app serves. Only the chosen adapter is built; `fs` also serves its signed URLs (FsStorageController).
 */
@Global()
@Module({})
export class ObjectStorageModule {
  static forRoot(env: Env): DynamicModule {
    const kind = storageKindOf(env);
    const storage: FactoryProvider<ObjectStorage> = {
      provide: OBJECT_STORAGE,
      inject: [HttpAdapterHost, PinoLogger],
      useFactory: async (adapterHost: HttpAdapterHost, logger: PinoLogger) => {
        const created = await createObjectStorage(env, () => serverUrl(adapterHost, env));
        await created.ensureReady();
        logger.setContext(ObjectStorageModule.name);
        const where = kind === 'fs' ? { dir: fsStorageDir(env) } : { endpoint: env.MINIO_ENDPOINT, bucket: env.MINIO_BUCKET };
        logger.info({ storage: kind, ...where }, 'object storage ready');
        return created;
      },
    };
    if (kind === 'minio') return { module: ObjectStorageModule, providers: [storage], exports: [OBJECT_STORAGE] };
    return {
      module: ObjectStorageModule,
      controllers: [FsStorageController],
      providers: [storage, { provide: FsObjectStorage, useExisting: OBJECT_STORAGE }],
      exports: [OBJECT_STORAGE],
    };
  }
}
