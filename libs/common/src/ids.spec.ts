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
});
