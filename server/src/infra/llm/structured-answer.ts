import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';

/**
 * Validates a model's parsed JSON answer against a class-validator class (the same rules the
 * JSON schema states) and returns the instance; throws an Error naming every broken field and rule.
 */
export function validatedAnswer<T extends object>(type: new () => T, value: unknown): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('the answer is not a JSON object');
  const instance = plainToInstance(type, value);
  const errors = validateSync(instance, { forbidUnknownValues: true, validationError: { target: false } });
  if (errors.length > 0) throw new Error(`failed validation: ${describe(errors).join('; ')}`);
  return instance;
}

function describe(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const shown = error.value === undefined || typeof error.value === 'object' ? '' : ` (got ${JSON.stringify(error.value).slice(0, 80)})`;
    const own = Object.values(error.constraints ?? {}).map((message) => {
      const rule = message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message;
      return `${field} ${rule}${shown}`;
    });
    return [...own, ...describe(error.children ?? [], field)];
  });
}
