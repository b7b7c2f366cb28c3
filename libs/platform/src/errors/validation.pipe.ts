import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, PlatformErrorCode } from './domain-error';

function flatten(errors: ValidationError[], parent = ''): { field: string; constraints: string[] }[] {
  return errors.flatMap((e) => {
    const field = parent ? `${parent}.${e.property}` : e.property;
    const own = e.constraints ? [{ field, constraints: Object.values(e.constraints) }] : [];
    return [...own, ...flatten(e.children ?? [], field)];
  });
}

/**
 * The global validation pipe: whitelists, rejects unknown fields, transforms to DTO classes.
 * A failure is a 400 `VALIDATION_FAILED` naming the first field at fault (all fields in details).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = flatten(errors);
      const first = fields[0];
      return DomainError.validation(
        PlatformErrorCode.VALIDATION_FAILED,
        first ? `${first.field}: ${first.constraints.join('; ')}` : 'request is invalid',
        first?.field,
        { fields },
      );
    },
  });
}
