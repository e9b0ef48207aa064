import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import type { Principal } from '../common/auth/principal.js';
import { ArtifactsService } from './artifacts.service.js';
import { PresignArtifactParams, PresignArtifactRequest, type PresignArtifactResponse } from './dto/presign-artifact.request.js';
import { keyOfPathParam, sendDownload } from './storage/http-download.js';

/** The REST side of artifacts: presigning for workers (spec/events.md, "Artifact upload") and downloads. */
@Controller('api')
export class ArtifactsController {
  constructor(private readonly artifacts: ArtifactsService) {}

  /** `{ action: 'put', filename | key, content_type?, kind? }` or `{ action: 'get', key }` -> `{ url, key, expiresAt }`. */
  @Post('runs/:id/artifacts/presign')
  @HttpCode(HttpStatus.OK)
  presign(
    @Param() { id }: PresignArtifactParams,
    @Body() request: PresignArtifactRequest,
    @CurrentPrincipal() principal: Principal,
  ): Promise<PresignArtifactResponse> {
    return this.artifacts.presign(id, request, principal);
  }

  /** A registered artifact of the run: streamed from fs storage, or a redirect to a short-lived presigned URL. */
  @Get('artifacts/:runId/*key')
  async download(
    @Param('runId') runId: string,
    @Param('key') key: string[] | string,
    @Req() req: Request,
    @Res() res: Response,
  ): Promise<void> {
    const download = await this.artifacts.download(runId, keyOfPathParam(key));
    res.setHeader('Cache-Control', 'private, no-store');
    if (download.kind === 'redirect') return res.redirect(HttpStatus.FOUND, download.url);
    await sendDownload(req, res, download.download);
  }
}
