import type { ValidationError } from 'class-validator';
import type { ErrorDetail } from '@payhub/common';

/** Collects every problem of one document so a single error names all bad fields by full path. */
export class ValidationIssues {
  private readonly byField = new Map<string, string>();

  add(field: string, issue: string): void {
    if (!this.byField.has(field)) this.byField.set(field, issue);
  }

  has(field: string): boolean {
    return this.byField.has(field);
  }

  get empty(): boolean {
    return this.byField.size === 0;
  }

  addClassValidatorErrors(errors: ValidationError[], prefix: string): void {
    for (const error of errors) {
      const field = joinPath(prefix, error.property);
      if (error.constraints) this.add(field, describe(error));
      if (error.children?.length) this.addClassValidatorErrors(error.children, field);
    }
  }

  details(): ErrorDetail[] {
    return [...this.byField].map(([field, issue]) => ({ field, issue }));
  }
}

export function joinPath(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}

function describe(error: ValidationError): string {
  const constraints = error.constraints ?? {};
  if ('whitelistValidation' in constraints) return 'is not a known field';
  if (error.value === undefined && constraints.isDefined) {
    return constraints.isDefined.endsWith('should not be null or undefined') ? 'is required' : constraints.isDefined;
  }
  const messages = Object.entries(constraints)
    .filter(([name]) => !(name === 'nestedValidation' && 'isObject' in constraints))
    .map(([, message]) => message);
  return messages.join('; ');
}
