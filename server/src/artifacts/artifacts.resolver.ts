import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import { actorName, type Principal } from '../common/auth/principal.js';
import { RunModel } from '../runs/models/run.model.js';
import { ArtifactsService } from './artifacts.service.js';
import { CreateArtifactUploadUrlArgs, RegisterArtifactArgs, RunArtifactsArgs, RunArtifactsTargetArgs } from './dto/artifacts.args.js';
import { ArtifactModel, ArtifactUploadModel, DeleteRunArtifactsPayload, toArtifactModel } from './models/artifact.model.js';

@Resolver(() => ArtifactModel)
export class ArtifactsResolver {
  constructor(private readonly artifactsService: ArtifactsService) {}

  @ResolveField(() => String, {
    nullable: true,
    description: 'A short-lived download URL (PRESIGN_EXPIRY_S); images and PDFs open inline. Null when the upload failed.',
  })
  url(@Parent() artifact: ArtifactModel) {
    return this.artifactsService.downloadUrlOf(artifact);
  }

  @Mutation(() => ArtifactUploadModel, { description: 'A presigned URL to upload a file to a run; then call registerArtifact.' })
  async createArtifactUploadUrl(@Args() { runId, filename, contentType }: CreateArtifactUploadUrlArgs, @CurrentPrincipal() principal: Principal) {
    const upload = await this.artifactsService.createUploadUrl(runId, filename, contentType, actorName(principal));
    return { url: upload.url, key: upload.key, expiresAt: upload.expiresAt, method: upload.method };
  }

  @Mutation(() => ArtifactModel, { description: 'Records an uploaded object as an artifact of its run (size, content type and SHA-256 from the stored bytes).' })
  async registerArtifact(@Args() { runId, key, kind }: RegisterArtifactArgs, @CurrentPrincipal() principal: Principal) {
    return toArtifactModel(await this.artifactsService.registerUpload(runId, key, kind, actorName(principal)));
  }

  @Mutation(() => DeleteRunArtifactsPayload, {
    description: 'Deletes every stored object and artifact record of a run that is over (HUMAN_VALIDATED, FAILED or CANCELED).',
  })
  deleteRunArtifacts(@Args() { runId }: RunArtifactsTargetArgs, @CurrentPrincipal() principal: Principal) {
    return this.artifactsService.deleteRunArtifacts(runId, actorName(principal));
  }
}

@Resolver(() => RunModel)
export class RunArtifactsResolver {
  constructor(private readonly artifactsService: ArtifactsService) {}

  @ResolveField(() => [ArtifactModel], { description: 'The run\'s artifacts in the order they appeared.' })
  async artifacts(@Parent() run: RunModel, @Args() { kinds }: RunArtifactsArgs) {
    return (await this.artifactsService.listByRun(run.id, kinds ?? undefined)).map(toArtifactModel);
  }

  @ResolveField(() => ArtifactModel, {
    nullable: true,
    description: 'The final paper: the artifact ai.paper.generated named, else the newest registered `paper` artifact.',
  })
  async paperArtifact(@Parent() run: RunModel) {
    const paper = await this.artifactsService.paperOf(run);
    return paper && toArtifactModel(paper);
  }
}
