import { Controller, Get, HttpCode, Param, Put, Query, Req, Res } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { keyOfPathParam, sendDownload } from '../http-download.js';
import { FsObjectStorage, STORAGE_ROUTE } from './fs.object-storage.js';

/**
 * Serves the signed URLs of the `fs` object storage, like S3 serves presigned ones: the signature
 * is the credential, so these routes must stay outside API-token authentication and body parsing.
 */
@Controller(STORAGE_ROUTE)
export class FsStorageController {
  constructor(private readonly storage: FsObjectStorage) {}

  /** A signed download (also answers HEAD). */
  @Get('*key')
  async download(
    @Param('key') key: string[] | string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    await sendDownload(req, res, await this.storage.openSignedDownload(req.method, keyOfPathParam(key), query));
  }

  /** A signed upload: the body is streamed to a file, never buffered; answers with the ETag like S3. */
  @Put('*key')
  @HttpCode(200)
  async upload(
    @Param('key') key: string[] | string,
    @Query() query: Record<string, unknown>,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const stored = await this.storage.receiveSignedUpload(keyOfPathParam(key), query, req);
    res.setHeader('ETag', `"${stored.etag}"`);
  }
}

/** Whether a request is for a signed storage URL (its body belongs to the controller, unparsed). */
export const isStorageRequest = (req: IncomingMessage) => (req.url ?? '').startsWith(`/${STORAGE_ROUTE}/`);

/**
 * Wraps an Express body parser so that it leaves signed storage uploads alone: a JSON artifact PUT
 * with `Content-Type: application/json` would otherwise be read (and size-limited) by the parser.
 * Use with `NestFactory.create(..., { bodyParser: false })`:
 * `app.use(exceptStorageRoutes(express.json()), exceptStorageRoutes(express.urlencoded({ extended: true })))`.
 */
export function exceptStorageRoutes(parser: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => (isStorageRequest(req) ? next() : parser(req, res, next));
}
