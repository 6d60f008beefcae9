import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { DomainError, ErrorCode } from '@payhub/common';
import { updateRows } from '@payhub/database';
import type { Page } from '@payhub/transactions';
import { WebhookAttemptEntity } from './webhook-attempt.entity';
import { WebhookDeliveryEntity, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookLanes } from './webhook-lanes';

export interface WebhookDeliveryFilter {
  merchantId?: string;
  status?: WebhookDeliveryStatus;
  transactionId?: string;
}

export type WebhookDeliveryView = ReturnType<typeof presentWebhookDelivery>;

/** The back office's side: list deliveries, and resend them (one, or every failed one of a merchant). */
@Injectable()
export class WebhookDeliveriesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Newest first; the cursor is the last id of the page (ids sort by time). */
  async list(filter: WebhookDeliveryFilter, limit: number, startingAfter?: string): Promise<Page<WebhookDeliveryView>> {
    const qb = this.dataSource.getRepository(WebhookDeliveryEntity).createQueryBuilder('d').where('1 = 1');
    if (filter.merchantId) qb.andWhere('d.merchant_id = :merchantId', { merchantId: filter.merchantId });
    if (filter.status) qb.andWhere('d.status = :status', { status: filter.status });
    if (filter.transactionId) qb.andWhere('d.transaction_id = :transactionId', { transactionId: filter.transactionId });
    if (startingAfter) qb.andWhere('d.id < :startingAfter', { startingAfter });
    const rows = await qb
      .orderBy('d.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const hasMore = rows.length > limit;
    const data = hasMore ? rows.slice(0, limit) : rows;
    return { data: data.map(presentWebhookDelivery), hasMore, nextCursor: hasMore ? data[data.length - 1].id : null };
  }

  async get(id: string) {
    const delivery = await this.find(id);
    const attempts = await this.dataSource.getRepository(WebhookAttemptEntity).find({ where: { deliveryId: id }, order: { id: 'ASC' } });
    return { ...presentWebhookDelivery(delivery), payload: delivery.payload, attempts: attempts.map(presentWebhookAttempt) };
  }

  async attemptsOfTransaction(transactionId: string) {
    const deliveries = await this.dataSource.getRepository(WebhookDeliveryEntity).find({ where: { transactionId }, order: { outboxId: 'ASC' } });
    if (!deliveries.length) return [];
    const attempts = await this.dataSource
      .getRepository(WebhookAttemptEntity)
      .find({ where: { deliveryId: In(deliveries.map((d) => d.id)) }, order: { id: 'ASC' } });
    return attempts.map(presentWebhookAttempt);
  }

  /** Sends a finished delivery again with a fresh retry schedule; its earlier attempts stay on record. */
  async resend(id: string): Promise<{ before: WebhookDeliveryView; after: WebhookDeliveryView }> {
    const delivery = await this.find(id);
    if (delivery.status === 'pending') throw new DomainError(ErrorCode.WEBHOOK_DELIVERY_PENDING, `Webhook delivery ${id} is still being sent`);
    const now = new Date();
    const changed = await updateRows(
      this.dataSource,
      WebhookDeliveryEntity,
      { status: 'pending', scheduleStep: 0, nextAttemptAt: now, updatedAt: now },
      'id = :id AND status = :status',
      { id, status: delivery.status },
    );
    if (!changed) throw new DomainError(ErrorCode.WEBHOOK_DELIVERY_PENDING, `Webhook delivery ${id} is still being sent`);
    await WebhookLanes.wake(this.dataSource, [delivery], now);
    return { before: presentWebhookDelivery(delivery), after: presentWebhookDelivery(await this.find(id)) };
  }

  async resendFailed(merchantId: string, max = 1000): Promise<{ resent: number; deliveryIds: string[] }> {
    const failed = await this.dataSource
      .getRepository(WebhookDeliveryEntity)
      .createQueryBuilder('d')
      .select(['d.id', 'd.transactionId', 'd.merchantId'])
      .where('d.merchant_id = :merchantId AND d.status = :status', { merchantId, status: 'failed' })
      .orderBy('d.id', 'ASC')
      .limit(max)
      .getMany();
    if (!failed.length) return { resent: 0, deliveryIds: [] };
    const now = new Date();
    const ids = failed.map((d) => d.id);
    await updateRows(
      this.dataSource,
      WebhookDeliveryEntity,
      { status: 'pending', scheduleStep: 0, nextAttemptAt: now, updatedAt: now },
      'id IN (:...ids) AND status = :status',
      { ids, status: 'failed' },
    );
    await WebhookLanes.wake(this.dataSource, [...new Map(failed.map((d) => [d.transactionId, d])).values()], now);
    return { resent: ids.length, deliveryIds: ids };
  }

  private async find(id: string): Promise<WebhookDeliveryEntity> {
    const delivery = await this.dataSource.getRepository(WebhookDeliveryEntity).findOneBy({ id });
    if (!delivery) throw DomainError.notFound(ErrorCode.WEBHOOK_DELIVERY_NOT_FOUND, `Webhook delivery ${id}`);
    return delivery;
  }
}

export function presentWebhookDelivery(d: WebhookDeliveryEntity) {
  return {
    id: d.id,
    eventId: d.eventId,
    merchantId: d.merchantId,
    transactionId: d.transactionId,
    type: d.type,
    status: d.status,
    attemptCount: d.attemptCount,
    url: d.url,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    lastAttemptAt: d.lastAttemptAt?.toISOString() ?? null,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
  };
}

export function presentWebhookAttempt(a: WebhookAttemptEntity) {
  return {
    deliveryId: a.deliveryId,
    attemptNo: a.attemptNo,
    kind: a.kind,
    url: a.url,
    outcome: a.outcome,
    statusCode: a.statusCode,
    latencyMs: a.latencyMs,
    responseExcerpt: a.responseExcerpt,
    error: a.error,
    at: a.createdAt.toISOString(),
  };
}
