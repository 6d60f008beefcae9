import { newId, ulid } from '@payhub/common';

describe('ids', () => {
  it('are prefixed and 26 Crockford characters', () => {
    expect(newId('tx')).toMatch(/^tx_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('sort in creation order, also within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => ulid(1795280000000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
    const later = ulid(1795280000001);
    expect(later > ids[ids.length - 1]).toBe(true);
  });

  it('keep order when the clock steps back, with the time part of the latest id', () => {
    // Ahead of every id made so far in this process (newId above used the real clock).
    const base = Date.now() + 60_000_000;
    const first = ulid(base);
    const back = ulid(base - 1000);
    expect(back > first).toBe(true);
    expect(back.slice(0, 10)).toBe(first.slice(0, 10));
    expect(ulid(base + 32).slice(0, 10)).not.toBe(first.slice(0, 10));
  });
});
