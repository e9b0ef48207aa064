import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Artifact, ArtifactStatus } from '../artifact.js';

registerEnumType(ArtifactStatus, { name: 'ArtifactStatus' });

@ObjectType('Artifact')
export class ArtifactModel {
  @Field(() => ID)
  runId: string;

  @Field({ description: 'Full object key, runs/<runId>/...' })
  key: string;

  @Field(() => String, { nullable: true, description: 'plot, figure, paper, reflection, code, documentation, archive, ...' })
  kind: string | null;

  @Field(() => ArtifactStatus)
  status: ArtifactStatus;

  @Field(() => Float, { nullable: true, description: 'Size in bytes.' })
  bytes: number | null;

  @Field(() => String, { nullable: true })
  sha256: string | null;

  @Field(() => String, { nullable: true })
  contentType: string | null;

  @Field(() => String, { nullable: true })
  errorCode: string | null;

  @Field(() => String, { nullable: true })
  errorMessage: string | null;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

export const toArtifactModel = (artifact: Artifact): ArtifactModel => artifact;

@ObjectType('ArtifactUpload', { description: 'A presigned upload: PUT the bytes to `url` (with the Content-Type given when asking) before `expiresAt`.' })
export class ArtifactUploadModel {
  @Field()
  url: string;

  @Field({ description: 'The key the object will have; pass it to registerArtifact once uploaded.' })
  key: string;

  @Field()
  expiresAt: Date;

  @Field({ description: 'Always PUT.' })
  method: string;
}

@ObjectType('DeleteRunArtifactsPayload')
export class DeleteRunArtifactsPayload {
  @Field(() => ID)
  runId: string;

  @Field(() => Int, { description: 'Objects removed from storage (including any that were never registered).' })
  deletedObjects: number;

  @Field(() => Int, { description: 'Artifact records removed.' })
  deletedRecords: number;
}
