import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Append-only: the application never updates or deletes these rows, and no endpoint can. */
@Entity('audit_log')
@Index('ix_audit_log_target', ['targetType', 'targetId'])
@Index('ix_audit_log_actor', ['actorId'])
export class AuditLogEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id: string;
  @Column({ name: 'actor_id', type: 'varchar', length: 32, nullable: true }) actorId: string | null;
  @Column({ name: 'actor_email', type: 'varchar', length: 254, nullable: true }) actorEmail: string | null;
  @Column({ type: 'varchar', length: 64 }) action: string;
  @Column({ name: 'target_type', type: 'varchar', length: 32 }) targetType: string;
  @Column({ name: 'target_id', type: 'varchar', length: 64 }) targetId: string;
  @Column({ type: 'json', nullable: true }) before: unknown;
  @Column({ type: 'json', nullable: true }) after: unknown;
  @Column({ type: 'varchar', length: 512, nullable: true }) reason: string | null;
  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true }) requestId: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
}
