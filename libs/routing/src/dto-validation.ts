import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { DomainError, flattenValidationErrors } from '@payhub/common';

/**
 * Validates a plain object into a DTO with the same options as the global validation pipe, for
 * callers outside HTTP (stored rules, imports, the explain sample).
 */
export function validateDto<T extends object>(cls: new () => T, plain: unknown): T {
  if (plain === null || typeof plain !== 'object' || Array.isArray(plain)) {
    throw DomainError.validation([{ field: 'body', issue: 'must be a JSON object' }]);
  }
  const instance = plainToInstance(cls, plain, { enableImplicitConversion: false });
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    stopAtFirstError: false,
  });
  if (errors.length > 0) throw DomainError.validation(flattenValidationErrors(errors));
  return instance;
}
