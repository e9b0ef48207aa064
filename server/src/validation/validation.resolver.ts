import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import { actorName, type Principal } from '../common/auth/principal.js';
import { PageArgs, toConnection } from '../common/pagination/connection.js';
import { encodeCursor } from '../common/pagination/cursor.js';
import { RunModel, toRunModel } from '../runs/models/run.model.js';
import { SubmitHumanValidationArgs } from './dto/validation.args.js';
import {
  SubmitHumanValidationPayload,
  toValidationModel,
  ValidationModel,
  ValidationQueueConnection,
  ValidationQueueItemModel,
} from './models/validation.model.js';
import { type ReviewQueueItem, ValidationService } from './validation.service.js';

const toQueueItemModel = ({ run, autoValidation }: ReviewQueueItem): ValidationQueueItemModel => ({
  run: toRunModel(run),
  autoValidation: autoValidation && toValidationModel(autoValidation),
});

@Resolver()
export class ValidationResolver {
  constructor(private readonly validationService: ValidationService) {}

  @Query(() => ValidationQueueConnection, {
    description: 'Runs waiting for a human review (AWAITING_HUMAN, and COMPLETED runs with an automatic validation and no human one), oldest first.',
  })
  async validationQueue(@Args() { first, after }: PageArgs) {
    const { page, totalCount } = await this.validationService.reviewQueue(first, after);
    return toConnection(page, totalCount, toQueueItemModel, ({ run }) => encodeCursor(run));
  }

  @Mutation(() => SubmitHumanValidationPayload, {
    description: 'Records a human verdict (reviewer: the token\'s name) and moves the run to HUMAN_VALIDATED; only while AWAITING_HUMAN or COMPLETED, once per run.',
  })
  async submitHumanValidation(@Args() args: SubmitHumanValidationArgs, @CurrentPrincipal() principal: Principal) {
    const { run, validation } = await this.validationService.submitHuman({
      runId: args.runId,
      verdict: args.verdict,
      scores: args.rubric.map(({ name, score }) => ({ name, score })),
      notes: args.notes ?? null,
      reviewer: actorName(principal),
    });
    return { run: toRunModel(run), validation: toValidationModel(validation) };
  }
}

@Resolver(() => RunModel)
export class RunValidationsResolver {
  constructor(private readonly validationService: ValidationService) {}

  @ResolveField(() => [ValidationModel], { description: 'Automatic and human validations side by side.' })
  async validations(@Parent() run: RunModel) {
    return (await this.validationService.listByRun(run.id)).map(toValidationModel);
  }
}
