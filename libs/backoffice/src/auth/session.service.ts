import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig, DomainError, ErrorCode, randomToken, sha256Hex } from '@payhub/common';
import { insertRows, updateRows } from '@payhub/database';
import type { StaffRole } from '../staff/staff-role';
import { SessionScope, StaffSessionEntity } from './staff-session.entity';

export const SESSION_TOKEN_PREFIX = 'phs_';
/** last_seen_at is written at most this often per session: idle timeouts are exact to within it. */
const TOUCH_EVERY_MS = 15_000;

export interface SessionPrincipal {
  id: string;
  email: string;
  roles: StaffRole[];
  sessionId: string;
  scope: SessionScope;
}

/**
 * Server-side staff sessions. Every request reads its session and user by primary key, so ending a
 * session (logout, password or role change, disabling) holds at once in every api process; back-office
 * traffic is small enough that no cache is worth the window it would open.
 */
@Injectable()
export class SessionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async start(staffId: string, scope: SessionScope, meta: { ip?: string | null; userAgent?: string | null }): Promise<{ token: string; expiresIn: number }> {
    const token = `${SESSION_TOKEN_PREFIX}${randomToken(32)}`;
    const now = new Date();
    const { absoluteSeconds } = this.config.staffSession;
    await insertRows(this.dataSource, StaffSessionEntity, {
      id: sha256Hex(token),
      staffId,
      scope,
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 256) ?? null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + absoluteSeconds * 1000),
      endedAt: null,
      endReason: null,
    });
    return { token, expiresIn: absoluteSeconds };
  }

  /** The staff member behind a bearer token, or UNAUTHENTICATED: ended, idle too long, past its end, user disabled. */
  async resolve(token: string): Promise<SessionPrincipal> {
    const invalid = new DomainError(ErrorCode.UNAUTHENTICATED, 'The session is no longer valid; log in again');
    if (!token.startsWith(SESSION_TOKEN_PREFIX) || token.length > 128) throw invalid;
    const id = sha256Hex(token);
    const rows: Array<{
      staffId: string;
      scope: SessionScope;
      lastSeenAt: Date;
      expiresAt: Date;
      endedAt: Date | null;
      email: string;
      roles: string;
      status: string;
    }> = await this.dataSource.query(
      `SELECT s.staff_id AS staffId, s.scope, s.last_seen_at AS lastSeenAt, s.expires_at AS expiresAt, s.ended_at AS endedAt, u.email, u.roles, u.status
         FROM staff_sessions s JOIN staff_users u ON u.id = s.staff_id WHERE s.id = ?`,
      [id],
    );
    const row = rows[0];
    const now = Date.now();
    if (!row || row.endedAt || row.status !== 'active' || row.expiresAt.getTime() <= now) throw invalid;
    if (row.lastSeenAt.getTime() + this.config.staffSession.idleSeconds * 1000 <= now) {
      await this.end(id, 'idle');
      throw invalid;
    }
    if (now - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await updateRows(this.dataSource, StaffSessionEntity, { lastSeenAt: new Date(now) }, 'id = :id AND ended_at IS NULL', { id });
    }
    return { id: row.staffId, email: row.email, roles: row.roles ? (row.roles.split(',') as StaffRole[]) : [], sessionId: id, scope: row.scope };
  }

  async end(sessionId: string, reason: string): Promise<void> {
    await updateRows(this.dataSource, StaffSessionEntity, { endedAt: new Date(), endReason: reason }, 'id = :sessionId AND ended_at IS NULL', { sessionId });
  }

  /** Ends every open session of the staff member (but `except`), e.g. in the transaction that changes their password or roles. */
  async endAllOf(staffId: string, reason: string, manager?: EntityManager, except?: string): Promise<number> {
    return updateRows(
      manager ?? this.dataSource,
      StaffSessionEntity,
      { endedAt: new Date(), endReason: reason },
      'staff_id = :staffId AND ended_at IS NULL AND id <> :except',
      { staffId, except: except ?? '' },
    );
  }

  /** A session limited to TOTP enrolment becomes a full one once the user enrolled. */
  async widen(sessionId: string): Promise<void> {
    await updateRows(this.dataSource, StaffSessionEntity, { scope: 'full' }, 'id = :sessionId AND ended_at IS NULL', { sessionId });
  }
}
