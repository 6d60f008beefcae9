import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { DomainError, ErrorCode, SecretBox } from '@payhub/common';
import { StaffPrincipal, StaffService } from '../staff/staff.service';

export const JWT_STRATEGY = 'staff-jwt';

export function jwtSecret(secrets: SecretBox): string {
  return secrets.deriveKey('staff-jwt').toString('hex');
}

/** Reloads the staff user on every request so a disabled user or a changed role takes effect at once. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(private readonly staff: StaffService, secrets: SecretBox) {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: jwtSecret(secrets), algorithms: ['HS256'], ignoreExpiration: false });
  }

  async validate(payload: { sub?: string }): Promise<StaffPrincipal> {
    const user = payload.sub ? await this.staff.get(payload.sub).catch(() => null) : null;
    if (!user || user.status !== 'active') throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The session is no longer valid');
    return { id: user.id, email: user.email, roles: user.roles };
  }
}
