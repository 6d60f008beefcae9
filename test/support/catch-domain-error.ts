import { DomainError } from '@payhub/common';

/** Runs fn in a spec and returns the DomainError it throws; anything else fails the test. */
export function catchDomainError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}
