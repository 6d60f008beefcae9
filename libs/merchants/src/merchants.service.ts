import { Inject, Injectable } from '@nestjs/common';
import { insertRows, updateRows, inTransaction, isDuplicateKeyError } from '@payhub/database';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  APP_CONFIG,
  AppConfig,
  ConfigChangeBus,
  DomainError,
  ErrorCode,
  MerchantCache,
  newId,
  outboundUrlIssue,
  randomToken,
  SecretBox,
  sha256Hex,
} from '@payhub/common';
import { ApiKeyEntity } from './api-key.entity';
import { MerchantEntity } from './merchant.entity';

export interface AuthenticatedMerchant {
  id: string;
  name: string;
  apiKeyId: string;
}

export interface CreatedMerchant {
  merchant: MerchantEntity;
  apiKey: string;
  webhookSecret: string;
}

export const API_KEY_PREFIX = 'phk_';

export const PAYOUT_AUTO_APPROVE_KEY = 'payoutAutoApprove';
export interface PayoutAutoApprove {
  /** A payout in `currency` with amount strictly below `below` is approved without staff. */
  rules: Array<{ currency: string; below: number }>;
}

/**
 * How long a looked-up API key, or a merchant's webhook URL and secret, is trusted without asking MySQL.
 * Changes are announced at once on the change bus; this only bounds a lost announcement.
 */
export const MERCHANT_CACHE_TTL_MS = 30_000;
const API_KEY_CACHE_MAX = 10_000;

export interface WebhookTarget {
  url: string | null;
  /** The current secret. */
  secret: string;
  /** The secret a rotation replaced, while its grace period lasts: webhooks are signed with both. */
  previous: { secret: string; expiresAt: number } | null;
}

/** Every secret a webhook is signed with at `now`: the current one first, then one still in its grace period. */
export function webhookSigningSecrets(target: WebhookTarget, now = Date.now()): string[] {
  return target.previous && target.previous.expiresAt > now ? [target.secret, target.previous.secret] : [target.secret];
}

/** How long the replaced secret keeps signing webhooks after a rotation, unless the rotation says otherwise. */
export const DEFAULT_WEBHOOK_SECRET_GRACE_SECONDS = 24 * 60 * 60;

export interface MerchantChanges {
  name?: string;
  status?: 'active' | 'disabled';
  webhookUrl?: string | null;
}

export interface ApiKeySummary {
  id: string;
  prefix: string;
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
}

@Injectable()
export class MerchantsService {
  /** SHA-256 of a valid key → its merchant. Only keys that authenticated are kept, so guessing fills nothing. */
  private readonly keys = new MerchantCache<AuthenticatedMerchant | null>(MERCHANT_CACHE_TTL_MS, Date.now, (merchant) => merchant !== null);
  /** Where and how a merchant's webhooks go, for the worker's deliveries; dropped on the same announcements. */
  private readonly webhooks = new MerchantCache<WebhookTarget>(MERCHANT_CACHE_TTL_MS);
  /** The webhook event types each merchant chose (null: the default), for the outbox relay; same announcements. */
  private readonly webhookEventChoices = new MerchantCache<readonly string[] | null>(MERCHANT_CACHE_TTL_MS);
  /** Merchants whose choice is being read, gathered while one relay batch asks, so a cold cache costs one query. */
  private choicesBatch: { ids: Set<string>; rows: Promise<Map<string, string[] | null>> } | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly changes: ConfigChangeBus,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    changes.onChange((merchantId) => {
      this.forgetKeysOf(merchantId);
      this.webhooks.invalidate(merchantId);
      this.webhookEventChoices.invalidate(merchantId);
    });
  }

  /**
   * Creates a merchant with its first API key and webhook secret; both are returned once, only here.
   * `webhookEvents`: the event types it receives, already validated (null or absent: the default selection).
   */
  async create(input: {
    name: string;
    webhookUrl?: string | null;
    apiKey?: string;
    id?: string;
    createdBy?: string | null;
    webhookEvents?: string[] | null;
  }): Promise<CreatedMerchant> {
    if (input.webhookUrl) this.checkWebhookUrl(input.webhookUrl);
    const now = new Date();
    const webhookSecret = `whsec_${randomToken(24)}`;
    const merchant: MerchantEntity = {
      id: input.id ?? newId('mer'),
      name: input.name,
      status: 'active',
      webhookUrl: input.webhookUrl ?? null,
      webhookSecret: this.secrets.seal(webhookSecret),
      previousWebhookSecret: null,
      previousWebhookSecretExpiresAt: null,
      webhookEvents: input.webhookEvents ?? null,
      settings: null,
      createdAt: now,
      updatedAt: now,
    };
    const apiKey = input.apiKey ?? generateApiKey();
    await inTransaction(this.dataSource, async (manager) => {
      try {
        await insertRows(manager, MerchantEntity, merchant);
      } catch (error) {
        if (isDuplicateKeyError(error))
          throw new DomainError(ErrorCode.MERCHANT_NAME_TAKEN, `A merchant named ${input.name} exists`, [{ field: 'name', issue: 'is taken' }]);
        throw error;
      }
      await insertRows(manager, ApiKeyEntity, apiKeyRow(merchant.id, apiKey, 'default', now, input.createdBy ?? null));
    });
    return { merchant, apiKey, webhookSecret };
  }

  /** Outbound URL policy at save time (DESIGN §12); deliveries check again after DNS resolution. */
  checkWebhookUrl(url: string): void {
    const issue = outboundUrlIssue(url, this.config.outbound);
    if (issue) throw DomainError.validation([{ field: 'webhookUrl', issue }]);
  }

  /** `createdBy`: the staff member who minted it; they may not approve payouts the key creates. */
  async createApiKey(merchantId: string, label?: string, createdBy: string | null = null): Promise<{ id: string; apiKey: string; prefix: string }> {
    return this.addApiKey(merchantId, generateApiKey(), label, createdBy);
  }

  /** Registers a key chosen by the operator (e.g. a fixed demo key); it must carry the phk_ prefix. */
  async addApiKey(
    merchantId: string,
    apiKey: string,
    label?: string,
    createdBy: string | null = null,
  ): Promise<{ id: string; apiKey: string; prefix: string }> {
    await this.get(merchantId);
    if (!apiKey.startsWith(API_KEY_PREFIX)) throw new Error(`API keys must start with ${API_KEY_PREFIX}`);
    const row = apiKeyRow(merchantId, apiKey, label ?? null, new Date(), createdBy);
    await insertRows(this.dataSource, ApiKeyEntity, row);
    return { id: row.id, apiKey, prefix: row.prefix };
  }

  /**
   * The merchant behind an API key, or null. Served from memory for MERCHANT_CACHE_TTL_MS; revoking a
   * key or disabling a merchant is announced on the change bus and drops the merchant's keys everywhere.
   */
  async authenticate(apiKey: string): Promise<AuthenticatedMerchant | null> {
    if (!apiKey.startsWith(API_KEY_PREFIX) || apiKey.length > 128) return null;
    if (this.keys.size >= API_KEY_CACHE_MAX) this.keys.sweep();
    const hash = sha256Hex(apiKey);
    return this.keys.get(hash, async () => {
      const rows: Array<{ keyId: string; merchantId: string; name: string; status: string }> = await this.dataSource.query(
        'SELECT k.id AS keyId, m.id AS merchantId, m.name AS name, m.status AS status FROM api_keys k JOIN merchants m ON m.id = k.merchant_id WHERE k.key_hash = ? AND k.revoked_at IS NULL',
        [hash],
      );
      const row = rows[0];
      if (!row) return null;
      if (row.status !== 'active') throw new DomainError(ErrorCode.MERCHANT_DISABLED, 'This merchant is disabled');
      return { id: row.merchantId, name: row.name, apiKeyId: row.keyId };
    });
  }

  async listApiKeys(merchantId: string): Promise<ApiKeySummary[]> {
    await this.get(merchantId);
    const rows = await this.dataSource.getRepository(ApiKeyEntity).find({ where: { merchantId }, order: { createdAt: 'ASC', id: 'ASC' } });
    return rows.map(presentApiKey);
  }

  /** Revokes a key of the merchant at once, in every payhub process. Revoking a revoked key changes nothing. */
  async revokeApiKey(merchantId: string, keyId: string): Promise<{ before: ApiKeySummary; after: ApiKeySummary }> {
    await this.get(merchantId);
    const repository = this.dataSource.getRepository(ApiKeyEntity);
    const key = await repository.findOneBy({ id: keyId, merchantId });
    if (!key) throw DomainError.notFound(ErrorCode.API_KEY_NOT_FOUND, `API key ${keyId} of merchant ${merchantId}`);
    if (key.revokedAt) return { before: presentApiKey(key), after: presentApiKey(key) };
    await updateRows(this.dataSource, ApiKeyEntity, { revokedAt: new Date() }, 'id = :keyId AND revoked_at IS NULL', { keyId });
    // Announced even by the loser of two parallel revocations, which then reports the winner's time.
    await this.changes.changed(merchantId);
    return { before: presentApiKey(key), after: presentApiKey(await repository.findOneByOrFail({ id: keyId })) };
  }

  /** A disabled merchant's keys stop working at once, in every payhub process; its payments already made go on. */
  async setStatus(merchantId: string, status: 'active' | 'disabled'): Promise<{ before: MerchantEntity; after: MerchantEntity }> {
    return this.update(merchantId, { status });
  }

  /**
   * Changes name, status or webhook URL under the merchant's row lock; every process hears of it at once
   * (keys of a disabled merchant stop working, deliveries go to the new URL).
   */
  async update(merchantId: string, changes: MerchantChanges): Promise<{ before: MerchantEntity; after: MerchantEntity }> {
    if (changes.name === undefined && changes.status === undefined && changes.webhookUrl === undefined) {
      throw DomainError.validation([{ field: 'body', issue: 'must change at least one of name, status, webhookUrl' }]);
    }
    if (changes.webhookUrl) this.checkWebhookUrl(changes.webhookUrl);
    const result = await inTransaction(this.dataSource, async (manager) => {
      const before = await this.lockedMerchant(manager, merchantId);
      const set: Partial<MerchantEntity> = {};
      if (changes.name !== undefined && changes.name !== before.name) set.name = changes.name;
      if (changes.status !== undefined && changes.status !== before.status) set.status = changes.status;
      if (changes.webhookUrl !== undefined && changes.webhookUrl !== before.webhookUrl) set.webhookUrl = changes.webhookUrl;
      if (!Object.keys(set).length) return { before, after: before };
      set.updatedAt = new Date();
      try {
        await updateRows(manager, MerchantEntity, set, 'id = :merchantId', { merchantId });
      } catch (error) {
        if (isDuplicateKeyError(error))
          throw new DomainError(ErrorCode.MERCHANT_NAME_TAKEN, `A merchant named ${changes.name} exists`, [{ field: 'name', issue: 'is taken' }]);
        throw error;
      }
      return { before, after: { ...before, ...set } };
    });
    if (result.after !== result.before) await this.changes.changed(merchantId);
    return result;
  }

  /**
   * A new webhook secret, returned once. The replaced one keeps signing webhooks (a second `v1=`) for
   * `graceSeconds`, so the merchant can deploy the new secret without dropping a delivery; a rotation
   * during a grace period ends that period (only the last secret is kept).
   */
  async rotateWebhookSecret(
    merchantId: string,
    graceSeconds = DEFAULT_WEBHOOK_SECRET_GRACE_SECONDS,
  ): Promise<{ merchant: MerchantEntity; webhookSecret: string }> {
    const webhookSecret = `whsec_${randomToken(24)}`;
    const merchant = await inTransaction(this.dataSource, async (manager) => {
      const before = await this.lockedMerchant(manager, merchantId);
      const now = new Date();
      const set = {
        webhookSecret: this.secrets.seal(webhookSecret),
        previousWebhookSecret: graceSeconds > 0 ? before.webhookSecret : null,
        previousWebhookSecretExpiresAt: graceSeconds > 0 ? new Date(now.getTime() + graceSeconds * 1000) : null,
        updatedAt: now,
      };
      await updateRows(manager, MerchantEntity, set, 'id = :merchantId', { merchantId });
      return { ...before, ...set };
    });
    await this.changes.changed(merchantId);
    return { merchant, webhookSecret };
  }

  private async lockedMerchant(manager: EntityManager, merchantId: string): Promise<MerchantEntity> {
    const merchant = await manager.createQueryBuilder(MerchantEntity, 'm').setLock('pessimistic_write').where('m.id = :merchantId', { merchantId }).getOne();
    if (!merchant) throw DomainError.notFound(ErrorCode.MERCHANT_NOT_FOUND, `Merchant ${merchantId}`);
    return merchant;
  }

  private forgetKeysOf(merchantId: string): void {
    this.keys.invalidateWhere((merchant) => merchant?.id === merchantId);
  }

  /** Who minted the API key, when staff did (null for keys made by the CLI or the demo seed). */
  async apiKeyMinter(apiKeyId: string): Promise<string | null> {
    const key = await this.dataSource.getRepository(ApiKeyEntity).findOne({ where: { id: apiKeyId }, select: { id: true, createdBy: true } });
    return key?.createdBy ?? null;
  }

  async get(merchantId: string): Promise<MerchantEntity> {
    const merchant = await this.dataSource.getRepository(MerchantEntity).findOneBy({ id: merchantId });
    if (!merchant) throw DomainError.notFound(ErrorCode.MERCHANT_NOT_FOUND, `Merchant ${merchantId}`);
    return merchant;
  }

  async findByName(name: string): Promise<MerchantEntity | null> {
    return this.dataSource.getRepository(MerchantEntity).findOneBy({ name });
  }

  async list(limit: number, startingAfter?: string): Promise<{ data: MerchantEntity[]; hasMore: boolean; nextCursor: string | null }> {
    const qb = this.dataSource
      .getRepository(MerchantEntity)
      .createQueryBuilder('m')
      .orderBy('m.id', 'DESC')
      .limit(limit + 1);
    if (startingAfter) qb.where('m.id < :startingAfter', { startingAfter });
    const rows = await qb.getMany();
    const hasMore = rows.length > limit;
    const data = hasMore ? rows.slice(0, limit) : rows;
    return { data, hasMore, nextCursor: hasMore ? data[data.length - 1].id : null };
  }

  /** Payouts below these amounts (minor units, per currency) skip staff approval. */
  async payoutAutoApprove(merchantId: string): Promise<PayoutAutoApprove> {
    const settings = (await this.get(merchantId)).settings ?? {};
    return (settings[PAYOUT_AUTO_APPROVE_KEY] as PayoutAutoApprove | undefined) ?? { rules: [] };
  }

  /** Replaces one settings key under the merchant's row lock, so parallel edits of other keys survive. */
  async updateSetting<T>(merchantId: string, key: string, value: T, outer?: EntityManager): Promise<{ before: T | null; after: T }> {
    return inTransaction(
      this.dataSource,
      async (manager) => {
        const merchant = await this.lockedMerchant(manager, merchantId);
        const before = (merchant.settings?.[key] as T | undefined) ?? null;
        await updateRows(manager, MerchantEntity, { settings: { ...(merchant.settings ?? {}), [key]: value }, updatedAt: new Date() }, 'id = :merchantId', {
          merchantId,
        });
        return { before, after: value };
      },
      outer,
    );
  }

  /**
   * Replaces the webhook event types the merchant receives (already validated by the caller, who knows the
   * types), under the row lock; every process hears of it on the change bus.
   */
  async setWebhookEvents(merchantId: string, events: string[]): Promise<{ before: string[] | null; after: string[] }> {
    const result = await inTransaction(this.dataSource, async (manager) => {
      const merchant = await this.lockedMerchant(manager, merchantId);
      await updateRows(manager, MerchantEntity, { webhookEvents: events, updatedAt: new Date() }, 'id = :merchantId', { merchantId });
      return { before: merchant.webhookEvents, after: events };
    });
    await this.changes.changed(merchantId);
    return result;
  }

  /** The webhook event types each merchant chose (null: never chose, the default), from memory for up to 30 s. */
  async webhookEventsOf(merchantIds: string[]): Promise<Map<string, readonly string[] | null>> {
    const choices = await Promise.all(merchantIds.map((id) => this.webhookEventChoices.get(id, () => this.readWebhookEvents(id))));
    return new Map(merchantIds.map((id, i) => [id, choices[i]]));
  }

  /** One query for every merchant asked about in the same tick. */
  private readWebhookEvents(merchantId: string): Promise<string[] | null> {
    if (!this.choicesBatch) {
      const ids = new Set<string>();
      const rows = Promise.resolve().then(async () => {
        this.choicesBatch = null;
        const found: Array<{ id: string; webhookEvents: string | string[] | null }> = await this.dataSource.query(
          'SELECT id, webhook_events AS webhookEvents FROM merchants WHERE id IN (?)',
          [[...ids]],
        );
        return new Map(found.map((row) => [row.id, typeof row.webhookEvents === 'string' ? (JSON.parse(row.webhookEvents) as string[]) : row.webhookEvents]));
      });
      this.choicesBatch = { ids, rows };
    }
    this.choicesBatch.ids.add(merchantId);
    return this.choicesBatch.rows.then((rows) => rows.get(merchantId) ?? null);
  }

  /** The merchant's webhook URL and secrets in clear, for signing deliveries; kept for up to 30 s. */
  async webhookTarget(merchantId: string): Promise<WebhookTarget> {
    return this.webhooks.get(merchantId, async () => {
      const merchant = await this.get(merchantId);
      const previous =
        merchant.previousWebhookSecret && merchant.previousWebhookSecretExpiresAt
          ? { secret: this.secrets.open(merchant.previousWebhookSecret), expiresAt: merchant.previousWebhookSecretExpiresAt.getTime() }
          : null;
      return { url: merchant.webhookUrl, secret: this.secrets.open(merchant.webhookSecret), previous };
    });
  }
}

function generateApiKey(): string {
  return `${API_KEY_PREFIX}${randomToken(32)}`;
}

function apiKeyRow(merchantId: string, apiKey: string, label: string | null, now: Date, createdBy: string | null): ApiKeyEntity {
  return { id: newId('key'), merchantId, keyHash: sha256Hex(apiKey), prefix: apiKey.slice(0, 12), label, createdBy, createdAt: now, revokedAt: null };
}

function presentApiKey(k: ApiKeyEntity): ApiKeySummary {
  return { id: k.id, prefix: k.prefix, label: k.label, createdAt: k.createdAt.toISOString(), revokedAt: k.revokedAt ? k.revokedAt.toISOString() : null };
}

export interface MerchantView {
  id: string;
  name: string;
  status: string;
  webhookUrl: string | null;
  /** Until when the secret replaced by the last rotation still signs webhooks; null outside a grace period. */
  previousWebhookSecretExpiresAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export function presentMerchant(m: MerchantEntity, now = Date.now()): MerchantView {
  const graceUntil =
    m.previousWebhookSecretExpiresAt && m.previousWebhookSecretExpiresAt.getTime() > now ? m.previousWebhookSecretExpiresAt.toISOString() : null;
  return {
    id: m.id,
    name: m.name,
    status: m.status,
    webhookUrl: m.webhookUrl,
    previousWebhookSecretExpiresAt: graceUntil,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}
