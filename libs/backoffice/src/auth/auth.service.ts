import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, RateLimiter } from '@payhub/common';
import { StaffService } from '../staff/staff.service';
import { SessionService } from './session.service';
import { otpauthUrl } from './totp';

export interface LoginAnswer {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  /** True when the user's role requires TOTP and none is enrolled: the token only reaches the enrolment routes. */
  totpEnrolmentRequired: boolean;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly staff: StaffService,
    private readonly sessions: SessionService,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Limited per client address and per account before any password work; the lockout holds per account beyond that. */
  async login(input: { email: string; password: string; totpCode?: string }, meta: { ip?: string | null; userAgent?: string | null }): Promise<LoginAnswer> {
    const perMinute = this.config.rateLimits.loginPerMinute;
    await this.limiter.hit(`login:ip:${meta.ip ?? 'unknown'}`, perMinute, 60_000);
    await this.limiter.hit(`login:account:${input.email.toLowerCase()}`, perMinute, 60_000);
    const staff = await this.staff.authenticate(input.email, input.password, input.totpCode);
    const mustEnrol = !staff.totpEnabledAt && staff.roles.some((role) => this.config.staffTwoFactorRoles.includes(role));
    const session = await this.sessions.start(staff.id, mustEnrol ? 'enrol' : 'full', meta);
    return { accessToken: session.token, tokenType: 'Bearer', expiresIn: session.expiresIn, totpEnrolmentRequired: mustEnrol };
  }

  async logout(sessionId: string): Promise<void> {
    await this.sessions.end(sessionId, 'logout');
  }

  async startTotpEnrolment(staffId: string, email: string): Promise<{ secret: string; otpauthUrl: string }> {
    const secret = await this.staff.startTotpEnrolment(staffId);
    return { secret, otpauthUrl: otpauthUrl(secret, email) };
  }

  /** Turns TOTP on; a session limited to enrolment becomes a full one, every other session of the user ends. */
  async confirmTotp(staffId: string, sessionId: string, code: string): Promise<void> {
    await this.staff.confirmTotp(staffId, code);
    await this.sessions.endAllOf(staffId, 'totp_enabled', undefined, sessionId);
    await this.sessions.widen(sessionId);
  }
}
