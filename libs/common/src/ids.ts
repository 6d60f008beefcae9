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

function randomDigits(): number[] {
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const digits = new Array<number>(16);
  for (let i = 0; i < 16; i++) digits[i] = pool[poolOffset + i] % 32;
  poolOffset += 16;
  return digits;
}

let lastTime = -1;
let lastRandom: number[] = [];

/**
 * Monotonic within the process: an id made in the same millisecond as the previous one increments
 * its random part, so ids keep creation order even when created back to back.
 */
export function ulid(now: number = Date.now()): string {
  let random: number[];
  if (now <= lastTime) {
    now = lastTime;
    random = increment(lastRandom);
  } else {
    random = randomDigits();
    // Headroom so increments within one millisecond never overflow the 80 random bits.
    random[0] = random[0] & 0x0f;
  }
  lastTime = now;
  lastRandom = random;
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + random.map((d) => CROCKFORD[d]).join('');
}

function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] < 31) {
      next[i]++;
      return next;
    }
    next[i] = 0;
  }
  throw new Error('ulid random part overflow within one millisecond');
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
