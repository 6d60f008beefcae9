import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode, newId } from '@payhub/common';
import { inTransaction, insertRows, updateRows } from '@payhub/database';
import { AuditService } from '../audit/audit.service';
import type { StaffPrincipal } from '../staff/staff.service';
import { PendingChangeEntity, PendingChangeKind, PendingChangeStatus } from './pending-change.entity';

/** A proposal not confirmed within this long lapses; the proposer proposes again if still wanted. */
export const PENDING_CHANGE_TTL_MS = 24 * 60 * 60 * 1000;

export interface Proposal {
  kind: PendingChangeKind;
  targetType: string;
  targetId: string;
  payload: Record<string, unknown>;
  before: unknown;
  after: unknown;
}

/**
 * Stores and decides maker-checker proposals. What confirming a kind does lives with the kind's owner;
 * this service only guarantees the rules: a different admin, once, within 24 h, audited.
 */
@Injectable()
export class PendingChangesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async propose(actor: StaffPrincipal, proposal: Proposal, requestId: string | null, manager?: EntityManager): Promise<PendingChangeEntity> {
    const now = new Date();
    const row: PendingChangeEntity = {
      id: newId('chg'),
      ...proposal,
      status: 'pending',
      proposedBy: actor.id,
      proposedEmail: actor.email,
      decidedBy: null,
      decidedEmail: null,
      decidedAt: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + PENDING_CHANGE_TTL_MS),
    };
    await inTransaction(
      this.dataSource,
      async (tx) => {
        await insertRows(tx, PendingChangeEntity, row);
        await this.audit.record(
          {
            actor,
            action: 'change.propose',
            targetType: proposal.targetType,
            targetId: proposal.targetId.slice(0, 64),
            before: proposal.before,
            after: proposal.after,
            reason: `${proposal.kind} ${row.id}: waits for a second admin`,
            requestId,
          },
          tx,
        );
      },
      manager,
    );
    return row;
  }

  async list(
    status: PendingChangeStatus | undefined,
    limit: number,
    startingAfter?: string,
  ): Promise<{ data: PendingChangeEntity[]; hasMore: boolean; nextCursor: string | null }> {
    await this.expireOverdue();
    const qb = this.dataSource
      .getRepository(PendingChangeEntity)
      .createQueryBuilder('c')
      .orderBy('c.id', 'DESC')
      .limit(limit + 1);
    if (status) qb.andWhere('c.status = :status', { status });
    if (startingAfter) qb.andWhere('c.id < :startingAfter', { startingAfter });
    const rows = await qb.getMany();
    const hasMore = rows.length > limit;
    const data = hasMore ? rows.slice(0, limit) : rows;
    return { data, hasMore, nextCursor: hasMore ? data[data.length - 1].id : null };
  }

  async get(id: string): Promise<PendingChangeEntity> {
    await this.expireOverdue();
    const row = await this.dataSource.getRepository(PendingChangeEntity).findOneBy({ id });
    if (!row) throw DomainError.notFound(ErrorCode.PENDING_CHANGE_NOT_FOUND, `Pending change ${id}`);
    return row;
  }

  /**
   * Locks the proposal and marks it confirmed by `actor`, inside the caller's transaction, where the
   * change itself is applied: both commit or neither. The proposer never confirms their own proposal.
   */
  async claim(manager: EntityManager, actor: StaffPrincipal, id: string): Promise<PendingChangeEntity> {
    const row = await this.lockPending(manager, id);
    if (row.proposedBy === actor.id)
      throw new DomainError(ErrorCode.FOUR_EYES_VIOLATION, 'A change is confirmed by an admin other than the one who proposed it');
    const decided = { status: 'confirmed' as const, decidedBy: actor.id, decidedEmail: actor.email, decidedAt: new Date() };
    await updateRows(manager, PendingChangeEntity, decided, 'id = :id AND status = :pending', { id, pending: 'pending' });
    return { ...row, ...decided };
  }

  /** Any admin may reject, the proposer included (withdrawing it). */
  async reject(actor: StaffPrincipal, id: string, reason: string | null, requestId: string | null): Promise<PendingChangeEntity> {
    return inTransaction(this.dataSource, async (manager) => {
      const row = await this.lockPending(manager, id);
      const decided = { status: 'rejected' as const, decidedBy: actor.id, decidedEmail: actor.email, decidedAt: new Date() };
      await updateRows(manager, PendingChangeEntity, decided, 'id = :id', { id });
      await this.audit.record(
        {
          actor,
          action: 'change.reject',
          targetType: row.targetType,
          targetId: row.targetId.slice(0, 64),
          before: row.before,
          after: row.after,
          reason: `${row.kind} ${row.id}${reason ? `: ${reason}` : ''}`,
          requestId,
        },
        manager,
      );
      return { ...row, ...decided };
    });
  }

  private async lockPending(manager: EntityManager, id: string): Promise<PendingChangeEntity> {
    const row = await manager.createQueryBuilder(PendingChangeEntity, 'c').setLock('pessimistic_write').where('c.id = :id', { id }).getOne();
    if (!row) throw DomainError.notFound(ErrorCode.PENDING_CHANGE_NOT_FOUND, `Pending change ${id}`);
    if (row.status === 'pending' && row.expiresAt.getTime() <= Date.now()) {
      await updateRows(manager, PendingChangeEntity, { status: 'expired' }, 'id = :id', { id });
      row.status = 'expired';
    }
    if (row.status !== 'pending') throw new DomainError(ErrorCode.PENDING_CHANGE_NOT_PENDING, `Change ${id} is ${row.status}`, [], { status: row.status });
    return row;
  }

  private async expireOverdue(): Promise<void> {
    await updateRows(this.dataSource, PendingChangeEntity, { status: 'expired' }, 'status = :pending AND expires_at <= :now', {
      pending: 'pending',
      now: new Date(),
    });
  }
}

export function presentPendingChange(c: PendingChangeEntity) {
  return {
    id: c.id,
    kind: c.kind,
    status: c.status,
    target: { type: c.targetType, id: c.targetId },
    before: c.before,
    after: c.after,
    proposedBy: { id: c.proposedBy, email: c.proposedEmail },
    decidedBy: c.decidedBy ? { id: c.decidedBy, email: c.decidedEmail } : null,
    decidedAt: c.decidedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    expiresAt: c.expiresAt.toISOString(),
  };
}
