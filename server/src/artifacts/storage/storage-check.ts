import { createHash, randomBytes } from 'node:crypto';
import { STORAGE_ROUTE, FsObjectStorage } from './fs/fs.object-storage.js';
import type { ObjectStorage } from './object-storage.js';

export interface StorageCheckOptions {
  /** Where the configured storage lives, for the report (bucket and endpoint, or directory). */
  where: string;
  /** One line of the report. */
  print: (line: string) => void;
  fetch?: typeof fetch;
}

interface Step {
  name: string;
  run: () => Promise<string>;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function bytesOf(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/**
 * `npm run check:storage`: the configured store end to end with a throw-away object (bucket, put,
 * stat, presigned GET, list, delete), one report line per step. Resolves to whether all passed;
 * after a failure the remaining steps are skipped, the test object deleted when it was written.
 */
export async function checkStorage(storage: ObjectStorage, options: StorageCheckOptions): Promise<boolean> {
  const doFetch = options.fetch ?? fetch;
  const key = `runs/storage-check-${randomBytes(6).toString('hex')}/check.txt`;
  const body = Buffer.from(`orchestrator storage check ${new Date().toISOString()}\n`);
  let written = false;

  const steps: Step[] = [
    {
      name: 'ready',
      run: async () => {
        await storage.ensureReady();
        await storage.ping();
        return `${storage.kind} storage at ${options.where} is reachable and writable`;
      },
    },
    {
      name: 'put',
      run: async () => {
        await storage.putObject(key, body, 'text/plain');
        written = true;
        const stat = await storage.stat(key);
        if (!stat || stat.size !== body.length) throw new Error(`stat after put reports ${stat ? `${stat.size} bytes` : 'no object'}, expected ${body.length}`);
        return `wrote ${key} (${body.length} bytes, ETag ${stat.etag ?? 'none'})`;
      },
    },
    {
      name: 'presigned get',
      run: async () => {
        const { url, expiresAt } = await storage.presignGet(key, { expiresInS: 60 });
        const origin = new URL(url).origin;
        let read: Buffer;
        let how: string;
        try {
          const response = await doFetch(url, { signal: AbortSignal.timeout(10_000) });
          if (!response.ok) throw new Error(`GET ${origin}/... answered ${response.status} ${(await response.text()).slice(0, 200)}`);
          read = Buffer.from(await response.arrayBuffer());
          how = `fetched over HTTP from ${origin}`;
        } catch (error) {
          // fs URLs are served by the orchestrator itself, which need not be running for this check.
          if (!(storage instanceof FsObjectStorage) || !isConnectionFailure(error)) throw error;
          read = await bytesOf((await storage.openSignedDownload('GET', keyOfSignedUrl(url), Object.fromEntries(new URL(url).searchParams))).stream);
          how = `signature verified in-process (nothing answers at ${origin}: start the orchestrator to serve it)`;
        }
        if (sha256(read) !== sha256(body)) throw new Error(`the presigned URL returned ${read.length} bytes that differ from what was put`);
        return `${how}; valid until ${expiresAt.toISOString()}`;
      },
    },
    {
      name: 'list',
      run: async () => {
        const listed = await storage.list(key.slice(0, key.lastIndexOf('/') + 1));
        if (!listed.some((object) => object.key === key)) throw new Error(`listing the prefix did not return ${key}`);
        return `listed ${listed.length} object${listed.length === 1 ? '' : 's'} under the test prefix`;
      },
    },
    {
      name: 'delete',
      run: async () => {
        await storage.delete([key]);
        written = false;
        if (await storage.stat(key)) throw new Error(`${key} is still there after delete`);
        return `deleted ${key}`;
      },
    },
  ];

  let ok = true;
  for (const step of steps) {
    if (!ok) {
      options.print(`- ${step.name}: skipped`);
      continue;
    }
    try {
      options.print(`✓ ${step.name}: ${await step.run()}`);
    } catch (error) {
      ok = false;
      options.print(`✗ ${step.name}: ${(error as Error).message}`);
    }
  }
  if (written) await storage.delete([key]).catch(() => undefined);
  options.print(ok ? `storage check passed (${storage.kind})` : `storage check FAILED (${storage.kind} at ${options.where})`);
  return ok;
}

function keyOfSignedUrl(url: string): string {
  const path = new URL(url).pathname;
  const start = path.indexOf(`/${STORAGE_ROUTE}/`) + STORAGE_ROUTE.length + 2;
  return path.slice(start).split('/').map(decodeURIComponent).join('/');
}

// fetch reports a connection failure as TypeError('fetch failed') with the socket error as its cause.
function isConnectionFailure(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } } | null)?.cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code ?? '';
  return (error as Error | null)?.name === 'TypeError' && ['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET'].includes(code);
}
