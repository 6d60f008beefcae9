import { CanActivate, ExecutionContext, Injectable, SetMetadata, applyDecorators, UseGuards, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '@payhub/common';
import { hasRole, StaffRole } from '../staff/staff-role';
import type { StaffPrincipal } from '../staff/staff.service';
import { SessionService } from './session.service';

const ROLE_KEY = 'payhub:staff-role';
const ENROLMENT_KEY = 'payhub:staff-enrolment-route';

/** Bearer session token → the staff member (checked on every request), then the role the route needs. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const required = this.reflector.getAllAndOverride<StaffRole | undefined>(ROLE_KEY, [context.getHandler(), context.getClass()]);
    const enrolmentRoute = this.reflector.getAllAndOverride<boolean | undefined>(ENROLMENT_KEY, [context.getHandler(), context.getClass()]) ?? false;
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: StaffPrincipal }>();
    const header = request.headers.authorization;
    const token = typeof header === 'string' && /^Bearer /i.test(header) ? header.slice(7).trim() : null;
    if (!token) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Log in first and send the token as Authorization: Bearer');
    const session = await this.sessions.resolve(token);
    if (session.scope === 'enrol' && !enrolmentRoute) {
      throw new DomainError(ErrorCode.TOTP_ENROLMENT_REQUIRED, 'Your role requires a second factor: enrol TOTP at /backoffice/auth/totp first');
    }
    request.user = { id: session.id, email: session.email, roles: session.roles, sessionId: session.sessionId };
    if (required && !hasRole(session.roles, required)) {
      throw new DomainError(ErrorCode.FORBIDDEN, `This action needs the ${required} role`);
    }
    return true;
  }
}

/** Staff session plus the role the route needs (admin passes every check). */
export function StaffAuth(role: StaffRole): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ROLE_KEY, role), UseGuards(RolesGuard));
}

/** Any logged-in staff member, including one whose session only allows TOTP enrolment. */
export function StaffEnrolmentAuth(): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ROLE_KEY, 'viewer'), SetMetadata(ENROLMENT_KEY, true), UseGuards(RolesGuard));
}

export const CurrentStaff = createParamDecorator((_data: unknown, context: ExecutionContext): StaffPrincipal => {
  return context.switchToHttp().getRequest<{ user: StaffPrincipal }>().user;
});
