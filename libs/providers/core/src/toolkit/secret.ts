import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * A provider credential that masks itself: printed, logged, interpolated or serialised it reads
 * `[redacted]`; only `reveal()` gives the value, at the one place it goes on the wire.
 */
/** The clear value of a setting that may be a Secret (resolved accounts) or a plain string (specs, defaults). */
export function revealed(value: unknown): string | undefined {
  if (value instanceof Secret) return value.reveal();
  return typeof value === 'string' ? value : undefined;
}

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  static of(value: unknown): Secret | null {
    return typeof value === 'string' && value !== '' ? new Secret(value) : null;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
