import { randomFillSync } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export type IdPrefix = 'req' | 'tx' | 'mer' | 'key' | 'stf' | 'evt' | 'rr' | 'cfg' | 'cb' | 'whd' | 'aud' | 'rep' | 'chg';

/**
 * Prefixed, lexicographically sortable ids (ULID layout: 48-bit ms time + 80 random bits),
 * e.g. `tx_01JD3K6ZQ8M4V7N2XW5YB9RTAC`. Sorting by id is sorting by creation time.
 */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${ulid()}`;
}

/** Random bytes drawn in bulk: one call to the CSPRNG per 256 ids instead of one per id. */
const pool = Buffer.alloc(16 * 256);
let poolOffset = pool.length;

let lastTime = -1;
/** The time part of the last id, encoded once per millisecond. */
let lastTimePart = '';
/** The random part of the last id, 16 base-32 digits. */
const lastRandom = new Uint8Array(16);

/**
 * Monotonic within the process: an id made in the same millisecond as the previous one increments
 * its random part, so ids keep creation order even when created back to back.
 */
export function ulid(now: number = Date.now()): string {
  if (now <= lastTime) {
    increment(lastRandom);
  } else {
    if (poolOffset + 16 > pool.length) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    for (let i = 0; i < 16; i++) lastRandom[i] = pool[poolOffset + i] % 32;
    poolOffset += 16;
    // Headroom so increments within one millisecond never overflow the 80 random bits.
    lastRandom[0] &= 0x0f;
    lastTime = now;
    lastTimePart = encodeTime(now);
  }
  let id = lastTimePart;
  for (let i = 0; i < 16; i++) id += CROCKFORD[lastRandom[i]];
  return id;
}

function encodeTime(now: number): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time;
}

/** Adds one to the digits in place; on overflow it throws and leaves them as they were. */
function increment(digits: Uint8Array): void {
  let i = digits.length - 1;
  while (i >= 0 && digits[i] === 31) i--;
  if (i < 0) throw new Error('ulid random part overflow within one millisecond');
  digits[i]++;
  digits.fill(0, i + 1);
}

/** Creation time (epoch ms) of a payhub id, read from its ULID time part; null when it is not one. */
export function timeOfId(id: string): number | null {
  const ulidPart = id.slice(id.indexOf('_') + 1);
  if (ulidPart.length !== 26) return null;
  let time = 0;
  for (const char of ulidPart.slice(0, 10)) {
    const digit = CROCKFORD.indexOf(char);
    if (digit < 0) return null;
    time = time * 32 + digit;
  }
  return time;
}
