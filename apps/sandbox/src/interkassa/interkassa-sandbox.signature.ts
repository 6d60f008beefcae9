import { createHash } from 'node:crypto';

/**
 * The simulator's own `ik_sign`, written from NOTES §1.3 independently of the adapter so that a
 * mismatch between the two shows up as a rejected request or callback.
 */
export function sandboxIkSign(fields: Record<string, unknown>, key: string, algorithm: 'md5' | 'sha256'): string {
  const parts: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const obj = value as Record<string, unknown>;
      for (const k of Object.keys(obj).sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : Buffer.from(a) > Buffer.from(b) ? 1 : 0))) walk(obj[k]);
    } else parts.push(value === true ? '1' : value === false || value == null ? '' : String(value));
  };
  const copy = { ...fields };
  delete copy.ik_sign;
  walk(copy);
  return createHash(algorithm)
    .update(`${parts.join(':')}:${key}`)
    .digest('base64');
}
