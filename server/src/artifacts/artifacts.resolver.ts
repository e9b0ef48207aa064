import { Args, ArgsType, Field, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { IsArray, IsOptional, IsString } from 'class-validator';
import { RunModel } from '../runs/models/run.model.js';
import { ArtifactsService } from './artifacts.service.js';
import { ArtifactModel, toArtifactModel } from './models/artifact.model.js';

@ArgsType()
class RunArtifactsArgs {
  @Field(() => [String], { nullable: true, description: 'Only these kinds (plot, paper, ...).' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  kinds?: string[] | null;
}

@Resolver(() => RunModel)
export class RunArtifactsResolver {
  constructor(private readonly artifactsService: ArtifactsService) {}

  @ResolveField(() => [ArtifactModel], { description: 'The run\'s artifacts in the order they appeared.' })
  async artifacts(@Parent() run: RunModel, @Args() { kinds }: RunArtifactsArgs) {
    return (await this.artifactsService.listByRun(run.id, kinds ?? undefined)).map(toArtifactModel);
  }
}
