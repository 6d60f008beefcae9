import { fromMajorString } from '@payhub/common';

export const SCREENSHOT_TYPES: Array<[RegExp, string, string]> = [
  [/^\x89PNG/, 'image/png', 'png'],
  [/^\xff\xd8\xff/, 'image/jpeg', 'jpg'],
  [/^GIF8/, 'image/gif', 'gif'],
  [/^RIFF....WEBP/s, 'image/webp', 'webp'],
  [/^%PDF/, 'application/pdf', 'pdf'],
];

export function decodeScreenshot(base64: string): { bytes: Uint8Array; filename: string; contentType: string } | null {
  const text = base64.replace(/^data:[^;]+;base64,/, '');
  if (!/^[A-Za-z0-9+/=\s]+$/.test(text)) return null;
  const bytes = Buffer.from(text, 'base64');
  const head = bytes.subarray(0, 12).toString('latin1');
  const type = SCREENSHOT_TYPES.find(([pattern]) => pattern.test(head));
  return type ? { bytes: new Uint8Array(bytes), contentType: type[1], filename: `screenshot.${type[2]}` } : null;
}

export function toNano(amount: number | string): bigint {
  const text = typeof amount === 'number' ? amount.toFixed(8) : amount.trim();
  const match = /^(-?)(\d+)(?:\.(\d{1,8}))?\d*$/.exec(text);
  if (!match) return 0n;
  const nano = BigInt(match[2]) * 100000000n + BigInt((match[3] ?? '').padEnd(8, '0'));
  return match[1] ? -nano : nano;
}

export function nanoToMinor(nano: bigint, currency: string): bigint {
  const exponent = fromMajorString('1', currency).toString().length - 1;
  const divisor = 10n ** BigInt(8 - exponent);
  const half = divisor / 2n;
  return nano >= 0n ? (nano + half) / divisor : -((-nano + half) / divisor);
}
