import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { StaffRole } from './staff-role';

@Entity('staff_users')
@Index('uq_staff_users_email', ['email'], { unique: true })
export class StaffUserEntity {
  @PrimaryColumn({ type: 'varchar', length: 32 }) id: string;
  @Column({ type: 'varchar', length: 254 }) email: string;
  @Column({ name: 'password_hash', type: 'varchar', length: 255 }) passwordHash: string;
  /** Comma-separated in one short column: a handful of roles, read with the user on every request. */
  @Column({
    type: 'varchar',
    length: 128,
    transformer: { to: (roles: StaffRole[]) => roles.join(','), from: (value: string) => (value ? (value.split(',') as StaffRole[]) : []) },
  })
  roles: StaffRole[];
  /** active | disabled */
  @Column({ type: 'varchar', length: 16 }) status: string;
  @Column({ name: 'failed_logins', type: 'int', default: 0 }) failedLogins: number;
  @Column({ name: 'locked_until', type: 'datetime', precision: 3, nullable: true }) lockedUntil: Date | null;
  /** Sealed with the SecretBox; set at enrolment, in force once `totpEnabledAt` is set. */
  @Column({ name: 'totp_secret', type: 'varchar', length: 512, nullable: true }) totpSecret: string | null;
  @Column({ name: 'totp_enabled_at', type: 'datetime', precision: 3, nullable: true }) totpEnabledAt: Date | null;
  /** The last TOTP time step accepted: a code is good once. */
  @Column({ name: 'totp_last_step', type: 'bigint', nullable: true }) totpLastStep: string | null;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt: Date;
  @Column({ name: 'updated_at', type: 'datetime', precision: 3 }) updatedAt: Date;
}
