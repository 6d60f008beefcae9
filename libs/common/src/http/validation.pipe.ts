import { ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidatorOptions } from 'class-validator';
import { DomainError, ErrorDetail } from '../errors';
import { passesCompiledValidation } from './compiled-validation';

/** Flattens class-validator's tree into `{ field: 'card.number', issue }` rows, arrays as `rules[0].name`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const error of errors) {
    const path = /^\d+$/.test(error.property) ? `${parent}[${error.property}]` : parent ? `${parent}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      details.push({ field: path, issue: message.replace(/^(property )?\S+ /, (m) => (m.startsWith('property') ? '' : m)) });
    }
    if (error.children?.length) details.push(...flattenValidationErrors(error.children, path));
  }
  return details;
}

const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
  stopAtFirstError: false,
};

/** The pipe's checks outside HTTP (the CLI): the same DTO, the same rules, the same VALIDATION_FAILED details. */
export function validateInput<T extends object>(dto: new () => T, input: Record<string, unknown>): T {
  const instance = plainToInstance(dto, input, { enableImplicitConversion: false });
  const errors = validateSync(instance, VALIDATOR_OPTIONS);
  if (errors.length) throw DomainError.validation(flattenValidationErrors(errors));
  return instance;
}

/**
 * Nest's pipe with the rules of each DTO class gathered once (compiled-validation.ts): a value that
 * passes is not walked again by class-validator; one that does not is, and the errors are class-validator's.
 */
class CompiledValidationPipe extends ValidationPipe {
  /**
   * class-validator's rules per class for Nest's look for binary values among nested properties, kept for
   * the pipe's life instead of gathered again on every value (Nest's default is a new cache per call). The
   * rules of a class are fixed once its decorators ran, and the pipe's groups never change.
   */
  private readonly nestedRules = new Map<unknown, unknown[]>();

  protected override findNestedBinaryValues(object: unknown, metadataCache: Map<unknown, unknown[]> = this.nestedRules): ValidationError[] {
    return super.findNestedBinaryValues(object, metadataCache as Map<unknown, any[]>);
  }

  protected override validate(object: object, validatorOptions?: ValidatorOptions): Promise<ValidationError[]> | ValidationError[] {
    if (!validatorOptions?.groups?.length && passesCompiledValidation(object)) return [];
    return super.validate(object, validatorOptions);
  }
}

/**
 * Every DTO: unknown fields rejected, no implicit type coercion, errors naming each field. `compiled: false`
 * is class-validator alone, the reference the compiled rules are tested against.
 */
export function createValidationPipe(options: { compiled?: boolean } = {}): ValidationPipe {
  return new (options.compiled === false ? ValidationPipe : CompiledValidationPipe)({
    ...VALIDATOR_OPTIONS,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => DomainError.validation(flattenValidationErrors(errors)),
  });
}
