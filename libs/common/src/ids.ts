import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export type IdPrefix = 'req' | 'tx' | 'mer' | 'key' | 'stf' | 'evt' | 'rr' | 'cfg' | 'cb' | 'whd' | 'aud' | 'rep';

/**
 * Prefixed, lexicographically sortable ids (ULID layout: 48-bit ms time + 80 random bits),
 * e.g. `tx_01JD3K6ZQ8M4V7N2XW5YB9RTAC`. Sorting by id is sorting by creation time.
 */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid()}`;
}

export function ulid(now: number = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[bytes[i] % 32];
  return time + random;
}
