import { CanActivate, ExecutionContext, Injectable, SetMetadata, applyDecorators, UseGuards, createParamDecorator } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError, ErrorCode } from '@payhub/common';
import { hasRole, StaffRole } from '../staff/staff-role';
import type { StaffPrincipal } from '../staff/staff.service';
import { JWT_STRATEGY } from './jwt.strategy';

const ROLE_KEY = 'payhub:staff-role';

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<StaffRole | undefined>(ROLE_KEY, [context.getHandler(), context.getClass()]);
    const user = context.switchToHttp().getRequest<{ user?: StaffPrincipal }>().user;
    if (!user) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Log in first');
    if (required && !hasRole(user.roles, required)) {
      throw new DomainError(ErrorCode.FORBIDDEN, `This action needs the ${required} role`);
    }
    return true;
  }
}

/** Staff JWT plus the role the route needs (admin passes every check). */
export function StaffAuth(role: StaffRole): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ROLE_KEY, role), UseGuards(AuthGuard(JWT_STRATEGY), RolesGuard));
}

export const CurrentStaff = createParamDecorator((_data: unknown, context: ExecutionContext): StaffPrincipal => {
  return context.switchToHttp().getRequest<{ user: StaffPrincipal }>().user;
});
