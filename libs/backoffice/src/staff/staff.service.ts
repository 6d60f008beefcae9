import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, newId } from '@payhub/common';
import { isDuplicateKeyError, insertRows } from '@payhub/database';
import { hashPassword, verifyPassword } from './password-hasher';
import type { StaffRole } from './staff-role';
import { StaffUserEntity } from './staff-user.entity';

export const MAX_FAILED_LOGINS = 5;
export const LOGIN_LOCK_MS = 5 * 60 * 1000;

export interface StaffPrincipal {
  id: string;
  email: string;
  roles: StaffRole[];
}

@Injectable()
export class StaffService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async create(input: { email: string; password: string; roles: StaffRole[] }): Promise<StaffUserEntity> {
    const now = new Date();
    const staff: StaffUserEntity = {
      id: newId('stf'),
      email: input.email.toLowerCase(),
      passwordHash: await hashPassword(input.password),
      roles: [...new Set(input.roles)],
      status: 'active',
      failedLogins: 0,
      lockedUntil: null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await insertRows(this.dataSource, StaffUserEntity, staff);
    } catch (error) {
      if (isDuplicateKeyError(error)) throw new DomainError(ErrorCode.STAFF_EMAIL_TAKEN, `A staff user with email ${staff.email} exists`, [{ field: 'email', issue: 'is taken' }]);
      throw error;
    }
    return staff;
  }

  /** Same answer for unknown email, wrong password and disabled user: nothing to enumerate. */
  async authenticate(email: string, password: string): Promise<StaffPrincipal> {
    const repo = this.dataSource.getRepository(StaffUserEntity);
    const staff = await repo.findOneBy({ email: email.toLowerCase() });
    const invalid = new DomainError(ErrorCode.INVALID_CREDENTIALS, 'Email or password is wrong');
    if (!staff || staff.status !== 'active') throw invalid;
    if (staff.lockedUntil && staff.lockedUntil > new Date()) {
      throw new DomainError(ErrorCode.RATE_LIMITED, 'Too many failed logins; try again later');
    }
    if (!(await verifyPassword(password, staff.passwordHash))) {
      const failures = staff.failedLogins + 1;
      await repo.update({ id: staff.id }, {
        failedLogins: failures >= MAX_FAILED_LOGINS ? 0 : failures,
        lockedUntil: failures >= MAX_FAILED_LOGINS ? new Date(Date.now() + LOGIN_LOCK_MS) : staff.lockedUntil,
      });
      throw invalid;
    }
    if (staff.failedLogins > 0 || staff.lockedUntil) await repo.update({ id: staff.id }, { failedLogins: 0, lockedUntil: null });
    return { id: staff.id, email: staff.email, roles: staff.roles };
  }

  async get(id: string): Promise<StaffUserEntity> {
    const staff = await this.dataSource.getRepository(StaffUserEntity).findOneBy({ id });
    if (!staff) throw DomainError.notFound(ErrorCode.STAFF_NOT_FOUND, `Staff user ${id}`);
    return staff;
  }

  async findByEmail(email: string): Promise<StaffUserEntity | null> {
    return this.dataSource.getRepository(StaffUserEntity).findOneBy({ email: email.toLowerCase() });
  }

  async update(id: string, changes: { roles?: StaffRole[]; status?: 'active' | 'disabled'; password?: string }): Promise<StaffUserEntity> {
    const staff = await this.get(id);
    const patch: Partial<StaffUserEntity> = { updatedAt: new Date() };
    if (changes.roles) patch.roles = [...new Set(changes.roles)];
    if (changes.status) patch.status = changes.status;
    if (changes.password) patch.passwordHash = await hashPassword(changes.password);
    await this.dataSource.getRepository(StaffUserEntity).update({ id }, patch);
    return { ...staff, ...patch };
  }

  async list(): Promise<StaffUserEntity[]> {
    return this.dataSource.getRepository(StaffUserEntity).find({ order: { createdAt: 'ASC' } });
  }
}

export function presentStaff(s: StaffUserEntity): { id: string; email: string; roles: StaffRole[]; status: string; createdAt: string } {
  return { id: s.id, email: s.email, roles: s.roles, status: s.status, createdAt: s.createdAt.toISOString() };
}
