import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** `full`: the back office. `enrol`: only TOTP enrolment, for a role that must have it and has none yet. */
export type SessionScope = 'full' | 'enrol';

/** A staff login. The bearer token is never stored: the id is its SHA-256. */
@Entity('staff_sessions')
@Index('ix_staff_sessions_staff', ['staffId', 'endedAt'])
export class StaffSessionEntity {
  @PrimaryColumn({ type: 'char', length: 64 }) id: string;
  @Column({ name: 'staff_id', type: 'varchar', length: 32 }) staffId: string;
  @Column({ type: 'varchar', length: 16 }) scope: SessionScope;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip: string | null;
  @Column({ name: 'user_agent', type: 'varchar', length: 256, nullable: true }) userAgent: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'last_seen_at', type: 'datetime', precision: 3 }) lastSeenAt: Date;
  /** The absolute end, fixed at login. */
  @Column({ name: 'expires_at', type: 'datetime', precision: 3 }) expiresAt: Date;
  @Column({ name: 'ended_at', type: 'datetime', precision: 3, nullable: true }) endedAt: Date | null;
  @Column({ name: 'end_reason', type: 'varchar', length: 32, nullable: true }) endReason: string | null;
}
