import { createCipheriv, createDecipheriv, createHash, createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * AES-256-GCM for secrets at rest. Sealed form: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts),
 * so a stored value names the key that sealed it and keys can rotate: `open` accepts any key in the
 * ring, `seal` always uses the active one.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();

  constructor(
    readonly activeKeyId: string,
    keys: Record<string, Buffer>,
  ) {
    for (const [id, key] of Object.entries(keys)) {
      if (key.length !== 32) throw new Error(`Secret key ${id} must be 32 bytes`);
      this.keys.set(id, key);
    }
    if (!this.keys.has(activeKeyId)) throw new Error(`Active secret key ${activeKeyId} is not in the key ring`);
  }

  /** Builds a box from the env value: 64 hex chars or base64 of 32 bytes; its id is a digest prefix. */
  static fromMasterKey(master: string, previous: string[] = []): SecretBox {
    const keys: Record<string, Buffer> = {};
    let active = '';
    for (const [index, raw] of [master, ...previous].entries()) {
      const key = parseKey(raw);
      const id = keyId(key);
      keys[id] = key;
      if (index === 0) active = id;
    }
    return new SecretBox(active, keys);
  }

  seal(plain: string): string {
    const key = this.keys.get(this.activeKeyId)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return ['v1', this.activeKeyId, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join('.');
  }

  open(sealed: string): string {
    const [version, id, iv, tag, ciphertext] = sealed.split('.');
    if (version !== 'v1' || !id || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new Error('Not a sealed secret');
    }
    const key = this.keys.get(id);
    if (!key) throw new Error(`Secret sealed with unknown key ${id}`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }

  isSealed(value: string): boolean {
    return value.startsWith('v1.') && value.split('.').length === 5;
  }

  keyIdOf(sealed: string): string | undefined {
    return this.isSealed(sealed) ? sealed.split('.')[1] : undefined;
  }

  /** A purpose-bound key derived from the master key (JWT signing, etc.), never the master itself. */
  deriveKey(purpose: string): Buffer {
    return createHmac('sha256', this.keys.get(this.activeKeyId)!).update(`payhub:${purpose}`).digest();
  }
}

function parseKey(raw: string): Buffer {
  const text = raw.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, 'hex') : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error('PAYHUB_SECRET_KEY must be 32 bytes: 64 hex characters or base64');
  return key;
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** Constant-time string comparison for signatures and tokens. */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export const MASK = '********';

/** Masks a secret for display: keeps nothing of short values, the last 4 characters of long ones. */
export function maskSecret(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return value ?? null;
  return value.length >= 16 ? `${MASK}${value.slice(-4)}` : MASK;
}
