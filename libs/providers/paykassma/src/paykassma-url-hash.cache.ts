import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** Paykassma keeps a URL hash for one day; refreshing an hour early keeps a widget opened late valid. */
export const URL_HASH_TTL_MS = 23 * 60 * 60 * 1000;
const MAX_ENTRIES = 5000;

export interface UrlHashes {
  success?: string;
  fail?: string;
  pending?: string;
}

/**
 * Hashed redirect URLs per account and URL set, in process memory. A lost cache only costs one more
 * `hash-url` call (any hash Paykassma issued stays valid for its day), so sharing it through Redis
 * would buy nothing but a dependency.
 */
@Injectable()
export class PaykassmaUrlHashCache {
  private readonly entries = new Map<string, { hashes: UrlHashes; expiresAt: number }>();

  key(apiBase: string, secret: string, urls: { success?: string; fail?: string; pending?: string }): string {
    return createHash('sha256')
      .update(JSON.stringify([apiBase, secret, urls.success ?? '', urls.fail ?? '', urls.pending ?? '']))
      .digest('hex');
  }

  get(key: string, now = Date.now()): UrlHashes | null {
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= now) {
      this.entries.delete(key);
      return null;
    }
    return entry.hashes;
  }

  set(key: string, hashes: UrlHashes, now = Date.now()): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { hashes, expiresAt: now + URL_HASH_TTL_MS });
  }
}
