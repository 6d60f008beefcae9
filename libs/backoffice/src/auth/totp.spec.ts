import { base32Decode, base32Encode, hotp, totpCode, totpStep, verifyTotp } from './totp';

describe('TOTP (RFC 6238 / RFC 4226)', () => {
  const rfcKey = Buffer.from('12345678901234567890');

  it('matches the RFC 4226 HOTP vectors', () => {
    expect([0, 1, 2, 9].map((c) => hotp(rfcKey, c))).toEqual(['755224', '287082', '359152', '520489']);
  });

  it('matches the RFC 6238 SHA-1 vectors (8 digits)', () => {
    expect(hotp(rfcKey, totpStep(59_000), 8)).toBe('94287082');
    expect(hotp(rfcKey, totpStep(1_111_111_109_000), 8)).toBe('07081804');
    expect(hotp(rfcKey, totpStep(20_000_000_000_000), 8)).toBe('65353130');
  });

  it('round-trips base32 and accepts one step of drift, not two', () => {
    const secret = base32Encode(rfcKey);
    expect(secret).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode(secret)).toEqual(rfcKey);
    const now = 1_800_000_000_000;
    const step = totpStep(now);
    expect(verifyTotp(secret, totpCode(secret, step), now)).toBe(step);
    expect(verifyTotp(secret, totpCode(secret, step - 1), now)).toBe(step - 1);
    expect(verifyTotp(secret, totpCode(secret, step + 2), now)).toBeNull();
    expect(verifyTotp(secret, 'abcdef', now)).toBeNull();
  });
});
