import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode, newId, SecretBox } from '@payhub/common';
import { isDuplicateKeyError, inTransaction, insertRows, updateRows } from '@payhub/database';
import { SessionService } from '../auth/session.service';
import { newTotpSecret, verifyTotp } from '../auth/totp';
import { hashPassword, verifyPassword } from './password-hasher';
import type { StaffRole } from './staff-role';
import { StaffUserEntity } from './staff-user.entity';

export const MAX_FAILED_LOGINS = 5;
export const LOGIN_LOCK_MS = 5 * 60 * 1000;

export interface StaffPrincipal {
  id: string;
  email: string;
  roles: StaffRole[];
  /** The session the request came with (absent for the CLI). */
  sessionId?: string;
}

export interface StaffChanges {
  roles?: StaffRole[];
  status?: 'active' | 'disabled';
  password?: string;
}

@Injectable()
export class StaffService {
  /** Verified against when the email is unknown, so an unknown email costs what a known one does. */
  private dummyHash?: Promise<string>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionService,
    private readonly box: SecretBox,
  ) {}

  async create(input: { email: string; password: string; roles: StaffRole[] }, manager?: EntityManager): Promise<StaffUserEntity> {
    return this.insert({ email: input.email, passwordHash: await hashPassword(input.password), roles: input.roles }, manager);
  }

  /** For a creation confirmed under maker-checker: the password was hashed when it was proposed. */
  async insert(input: { email: string; passwordHash: string; roles: StaffRole[] }, manager?: EntityManager): Promise<StaffUserEntity> {
    const now = new Date();
    const staff: StaffUserEntity = {
      id: newId('stf'),
      email: input.email.toLowerCase(),
      passwordHash: input.passwordHash,
      roles: [...new Set(input.roles)],
      status: 'active',
      failedLogins: 0,
      lockedUntil: null,
      totpSecret: null,
      totpEnabledAt: null,
      totpLastStep: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await insertRows(manager ?? this.dataSource, StaffUserEntity, staff);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw emailTaken(staff.email);
      throw error;
    }
    return staff;
  }

  async assertEmailFree(email: string): Promise<void> {
    if (await this.findByEmail(email)) throw emailTaken(email.toLowerCase());
  }

  /**
   * Same answer, and about the same time, for an unknown email, a wrong password and a disabled user.
   * Each attempt takes a slot first with one conditional UPDATE (the counter rises before the password
   * is checked), so parallel guesses cannot all pass the lock check: at most MAX_FAILED_LOGINS are ever
   * evaluated before the lock, however many arrive at once. A right password gives the slot back.
   */
  async authenticate(email: string, password: string, totpCode?: string): Promise<StaffUserEntity> {
    const invalid = new DomainError(ErrorCode.INVALID_CREDENTIALS, 'Email or password is wrong');
    const staff = await this.findByEmail(email);
    // An unknown email runs the same statement (matching nothing) and a password check against a dummy hash:
    // the same work, so the time taken does not tell whether the email exists.
    const claimed = await this.dataSource.query(
      `UPDATE staff_users SET locked_until = IF(failed_logins + 1 >= ?, NOW(3) + INTERVAL ? SECOND, locked_until), failed_logins = failed_logins + 1
        WHERE id = ? AND (locked_until IS NULL OR locked_until <= NOW(3))`,
      [MAX_FAILED_LOGINS, LOGIN_LOCK_MS / 1000, staff?.id ?? ''],
    );
    if (!staff) {
      await verifyPassword(password, await this.dummy());
      throw invalid;
    }
    if ((claimed as { affectedRows: number }).affectedRows === 0) {
      // The row read above may predate a lock set by a parallel attempt: then the whole lock is ahead.
      const left = staff.lockedUntil && staff.lockedUntil.getTime() > Date.now() ? staff.lockedUntil.getTime() - Date.now() : LOGIN_LOCK_MS;
      throw new DomainError(ErrorCode.RATE_LIMITED, 'Too many failed logins; try again later', [], { retryAfterSeconds: Math.ceil(left / 1000) });
    }
    if (!(await verifyPassword(password, staff.passwordHash)) || staff.status !== 'active') throw invalid;
    if (staff.totpEnabledAt) {
      if (!totpCode)
        throw new DomainError(ErrorCode.TOTP_REQUIRED, 'This account needs the code from its authenticator app', [{ field: 'totpCode', issue: 'is required' }]);
      if (!(await this.acceptTotp(staff, totpCode))) throw invalid;
    }
    await updateRows(this.dataSource, StaffUserEntity, { failedLogins: 0, lockedUntil: null }, 'id = :id', { id: staff.id });
    return staff;
  }

  /** Admin unlock: clears the failed-login count and the lock. */
  async unlock(id: string): Promise<{ before: StaffUserEntity; after: StaffUserEntity }> {
    const before = await this.get(id);
    await updateRows(this.dataSource, StaffUserEntity, { failedLogins: 0, lockedUntil: null, updatedAt: new Date() }, 'id = :id', { id });
    return { before, after: await this.get(id) };
  }

  /** A new secret, not in force until a code from it is confirmed. Enrolling again replaces an unconfirmed one. */
  async startTotpEnrolment(id: string): Promise<string> {
    const staff = await this.get(id);
    if (staff.totpEnabledAt) throw DomainError.validation([{ field: 'totp', issue: 'is already enabled' }]);
    const secret = newTotpSecret();
    await updateRows(this.dataSource, StaffUserEntity, { totpSecret: this.box.seal(secret), updatedAt: new Date() }, 'id = :id AND totp_enabled_at IS NULL', {
      id,
    });
    return secret;
  }

  async confirmTotp(id: string, code: string): Promise<void> {
    const staff = await this.get(id);
    if (staff.totpEnabledAt || !staff.totpSecret)
      throw DomainError.validation([{ field: 'code', issue: staff.totpEnabledAt ? 'TOTP is already enabled' : 'start the enrolment first' }]);
    if (!(await this.acceptTotp(staff, code))) throw DomainError.validation([{ field: 'code', issue: 'is not the current code of the enrolled secret' }]);
    await updateRows(this.dataSource, StaffUserEntity, { totpEnabledAt: new Date(), updatedAt: new Date() }, 'id = :id', { id });
  }

  /** A code counts once: the step is recorded with a conditional UPDATE, so a replay (even in parallel) fails. */
  private async acceptTotp(staff: StaffUserEntity, code: string): Promise<boolean> {
    const step = staff.totpSecret ? verifyTotp(this.box.open(staff.totpSecret), code) : null;
    if (step === null) return false;
    const used = await updateRows(
      this.dataSource,
      StaffUserEntity,
      { totpLastStep: String(step) },
      'id = :id AND (totp_last_step IS NULL OR totp_last_step < :step)',
      { id: staff.id, step },
    );
    return used === 1;
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= hashPassword('not-a-password-of-anyone');
    return this.dummyHash;
  }

  async get(id: string, manager?: EntityManager): Promise<StaffUserEntity> {
    const staff = await (manager ?? this.dataSource.manager).getRepository(StaffUserEntity).findOneBy({ id });
    if (!staff) throw DomainError.notFound(ErrorCode.STAFF_NOT_FOUND, `Staff user ${id}`);
    return staff;
  }

  async findByEmail(email: string): Promise<StaffUserEntity | null> {
    return this.dataSource.getRepository(StaffUserEntity).findOneBy({ email: email.toLowerCase() });
  }

  /** A password change, a role change or disabling ends every session of the user in the same DB transaction. */
  async update(id: string, changes: StaffChanges, manager?: EntityManager): Promise<StaffUserEntity> {
    const patch: Partial<StaffUserEntity> = { updatedAt: new Date() };
    if (changes.roles) patch.roles = [...new Set(changes.roles)];
    if (changes.status) patch.status = changes.status;
    if (changes.password) patch.passwordHash = await hashPassword(changes.password);
    return inTransaction(
      this.dataSource,
      async (tx) => {
        const staff = await this.get(id, tx);
        await updateRows(tx, StaffUserEntity, patch, 'id = :id', { id });
        const rolesChanged = patch.roles !== undefined && [...patch.roles].sort().join(',') !== [...staff.roles].sort().join(',');
        const reason = changes.password ? 'password_changed' : patch.status === 'disabled' ? 'disabled' : rolesChanged ? 'roles_changed' : null;
        if (reason) await this.sessions.endAllOf(id, reason, tx);
        return { ...staff, ...patch };
      },
      manager,
    );
  }

  async list(): Promise<StaffUserEntity[]> {
    return this.dataSource.getRepository(StaffUserEntity).find({ order: { createdAt: 'ASC' } });
  }
}

function emailTaken(email: string): DomainError {
  return new DomainError(ErrorCode.STAFF_EMAIL_TAKEN, `A staff user with email ${email} exists`, [{ field: 'email', issue: 'is taken' }]);
}

export function presentStaff(s: StaffUserEntity): {
  id: string;
  email: string;
  roles: StaffRole[];
  status: string;
  totpEnabled: boolean;
  locked: boolean;
  createdAt: string;
} {
  return {
    id: s.id,
    email: s.email,
    roles: s.roles,
    status: s.status,
    totpEnabled: s.totpEnabledAt !== null,
    locked: s.lockedUntil !== null && s.lockedUntil.getTime() > Date.now(),
    createdAt: s.createdAt.toISOString(),
  };
}
