import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const PENDING_CHANGE_KINDS = ['payout_auto_approve', 'staff_create', 'staff_roles', 'provider_config'] as const;
export type PendingChangeKind = (typeof PENDING_CHANGE_KINDS)[number];
export type PendingChangeStatus = 'pending' | 'confirmed' | 'rejected' | 'expired';

/**
 * A change one admin proposed and a different admin must confirm (maker-checker). `payload` is what
 * confirming applies (secrets in it are sealed); `before`/`after` are the masked views shown and audited.
 */
@Entity('pending_changes')
@Index('ix_pending_changes_status', ['status', 'expiresAt'])
export class PendingChangeEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id: string;
  @Column({ type: 'varchar', length: 32 }) kind: PendingChangeKind;
  @Column({ name: 'target_type', type: 'varchar', length: 32 }) targetType: string;
  @Column({ name: 'target_id', type: 'varchar', length: 254 }) targetId: string;
  @Column({ type: 'json' }) payload: Record<string, unknown>;
  @Column({ type: 'json', nullable: true }) before: unknown;
  @Column({ type: 'json', nullable: true }) after: unknown;
  @Column({ type: 'varchar', length: 16 }) status: PendingChangeStatus;
  @Column({ name: 'proposed_by', type: 'varchar', length: 32 }) proposedBy: string;
  @Column({ name: 'proposed_email', type: 'varchar', length: 254 }) proposedEmail: string;
  @Column({ name: 'decided_by', type: 'varchar', length: 32, nullable: true }) decidedBy: string | null;
  @Column({ name: 'decided_email', type: 'varchar', length: 254, nullable: true }) decidedEmail: string | null;
  @Column({ name: 'decided_at', type: 'datetime', precision: 3, nullable: true }) decidedAt: Date | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 }) expiresAt: Date;
}
