import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Artifact, ArtifactStatus } from '../artifact.js';

registerEnumType(ArtifactStatus, { name: 'ArtifactStatus' });

@ObjectType('Artifact')
export class ArtifactModel {
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
