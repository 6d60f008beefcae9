import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditLogEntity } from './audit/audit-log.entity';
import { AuditService } from './audit/audit.service';
import { AuthService } from './auth/auth.service';
import { RolesGuard } from './auth/roles.guard';
import { SessionService } from './auth/session.service';
import { StaffSessionEntity } from './auth/staff-session.entity';
import { PendingChangeEntity } from './maker-checker/pending-change.entity';
import { PendingChangesService } from './maker-checker/pending-changes.service';
import { StaffUserEntity } from './staff/staff-user.entity';
import { StaffService } from './staff/staff.service';

export const BACKOFFICE_ENTITIES = [StaffUserEntity, AuditLogEntity, StaffSessionEntity, PendingChangeEntity];

@Global()
@Module({
  imports: [TypeOrmModule.forFeature(BACKOFFICE_ENTITIES)],
  providers: [StaffService, AuditService, AuthService, SessionService, RolesGuard, PendingChangesService],
  exports: [StaffService, AuditService, AuthService, SessionService, RolesGuard, PendingChangesService],
})
export class BackofficeCoreModule {}
