import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldViolation, validationFailed } from './domain-error.js';

function violations(errors: ValidationError[], prefix = ''): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([rule, message]) => ({
      field,
      rule,
      // class-validator starts messages with the property name; the field is reported separately.
      message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    }));
    return [...own, ...violations(error.children ?? [], field)];
  });
}

/** The one validation pipe: class-validator rules on inputs, errors naming every field and rule. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationFailed(violations(errors)),
  });
}
