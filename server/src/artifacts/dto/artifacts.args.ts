import { ArgsType, Field, ID } from '@nestjs/graphql';
import { IsArray, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

const KIND = /^[a-z][a-z0-9_.-]{0,63}$/;
const KIND_MESSAGE = 'must be a lower-case word such as plot, paper or archive';

@ArgsType()
export class RunArtifactsArgs {
  @Field(() => [String], { nullable: true, description: 'Only these kinds (plot, paper, ...).' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  kinds?: string[] | null;
}

@ArgsType()
export class RunArtifactsTargetArgs {
  @Field(() => ID)
  @IsUUID()
  runId: string;
}

@ArgsType()
export class CreateArtifactUploadUrlArgs extends RunArtifactsTargetArgs {
  @Field({ description: 'Name or path relative to the run (`notes.md`, `extra/table.csv`); the key is runs/<runId>/<filename>.' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  filename: string;

  @Field(() => String, { nullable: true, description: 'The Content-Type the upload will send (fs storage binds the URL to it).' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  contentType?: string | null;
}

@ArgsType()
export class RegisterArtifactArgs extends RunArtifactsTargetArgs {
  @Field({ description: 'The key createArtifactUploadUrl returned (or a path relative to the run).' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  key: string;

  @Field({ description: 'plot, figure, paper, reflection, code, documentation, archive, ...' })
  @Matches(KIND, { message: KIND_MESSAGE })
  kind: string;
}
