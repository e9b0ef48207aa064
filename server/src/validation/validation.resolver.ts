import { Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { RunModel } from '../runs/models/run.model.js';
import { toValidationModel, ValidationModel } from './models/validation.model.js';
import { ValidationService } from './validation.service.js';

@Resolver(() => RunModel)
export class RunValidationsResolver {
  constructor(private readonly validationService: ValidationService) {}

  @ResolveField(() => [ValidationModel], { description: 'Automatic and human validations side by side.' })
  async validations(@Parent() run: RunModel) {
    return (await this.validationService.listByRun(run.id)).map(toValidationModel);
  }
}
