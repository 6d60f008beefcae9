import { Injectable } from '@nestjs/common';
import { insertRows, ReadReplicas } from '@payhub/database';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { newId } from '@payhub/common';
import { AuditLogEntity } from './audit-log.entity';

export interface AuditEntry {
  /** A staff member, or the CLI (`cli:<os user>`, no email). */
  actor: { id: string; email: string | null } | null;
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
  requestId?: string | null;
}

@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly replicas: ReadReplicas,
  ) {}

  /** Pass the manager of the business transaction so the audit row commits or rolls back with it. */
  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    const row: AuditLogEntity = {
      id: newId('aud'),
      actorId: entry.actor?.id ?? null,
      actorEmail: entry.actor?.email ?? null,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      before: entry.before ?? null,
      after: entry.after ?? null,
      reason: entry.reason ?? null,
      requestId: entry.requestId ?? null,
      createdAt: new Date(),
    };
    await insertRows(manager ?? this.dataSource.manager, AuditLogEntity, row);
  }

  /** Reads a read replica when one is configured (an entry may show up a replication delay late). */
  async list(
    filter: { actorId?: string; targetType?: string; targetId?: string; action?: string; from?: Date; to?: Date },
    limit: number,
    startingAfter?: string,
  ) {
    const qb = (await this.replicas.dataSource()).getRepository(AuditLogEntity).createQueryBuilder('a').where('1 = 1');
    if (filter.actorId) qb.andWhere('a.actor_id = :actorId', filter);
    if (filter.targetType) qb.andWhere('a.target_type = :targetType', filter);
    if (filter.targetId) qb.andWhere('a.target_id = :targetId', filter);
    if (filter.action) qb.andWhere('a.action = :action', filter);
    if (filter.from) qb.andWhere('a.created_at >= :from', filter);
    if (filter.to) qb.andWhere('a.created_at < :to', filter);
    if (startingAfter) qb.andWhere('a.id < :startingAfter', { startingAfter });
    const rows = await qb
      .orderBy('a.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    const hasMore = rows.length > limit;
    const data = hasMore ? rows.slice(0, limit) : rows;
    return { data, hasMore, nextCursor: hasMore ? data[data.length - 1].id : null };
  }
}

export function presentAuditEntry(a: AuditLogEntity) {
  return {
    id: a.id,
    actor: a.actorId ? { id: a.actorId, email: a.actorEmail } : null,
    action: a.action,
    target: { type: a.targetType, id: a.targetId },
    before: a.before,
    after: a.after,
    reason: a.reason,
    requestId: a.requestId,
    at: a.createdAt.toISOString(),
  };
}
