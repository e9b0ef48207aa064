import type { Request, Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { invalidArtifactKey } from '../artifacts.errors.js';

/**
 * The key of a `*key` wildcard route parameter. Express decodes each segment once; a segment that
 * now holds "/" or "\" was an encoded separator (%2F, %5C) and must not be joined into a path.
 */
export function keyOfPathParam(param: string[] | string): string {
  const segments = Array.isArray(param) ? param : [param];
  if (segments.some((segment) => /[/\\]/.test(segment))) {
    throw invalidArtifactKey(segments.join('/'), 'encoded-separator', 'percent-encoded "/" or "\\" (%2F, %5C) is not allowed');
  }
  return segments.join('/');
}

/** Answers with the object's bytes and headers (HEAD: headers only). */
export async function sendDownload(
  req: Request,
  res: Response,
  download: { stream: Readable; headers: Record<string, string> },
): Promise<void> {
  // setHeader, not res.set: Express would append a charset to the stored content type.
  for (const [name, value] of Object.entries(download.headers)) res.setHeader(name, value);
  res.status(200);
  if (req.method === 'HEAD') {
    download.stream.destroy();
    res.end();
    return;
  }
  // A client that goes away mid-download is not a server error; pipeline has already cleaned up.
  await pipeline(download.stream, res).catch(() => undefined);
}
