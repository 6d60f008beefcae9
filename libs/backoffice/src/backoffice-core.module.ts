import { Global, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SecretBox } from '@payhub/common';
import { AuditLogEntity } from './audit/audit-log.entity';
import { AuditService } from './audit/audit.service';
import { AuthService, ACCESS_TOKEN_TTL_SECONDS } from './auth/auth.service';
import { JwtStrategy, jwtSecret } from './auth/jwt.strategy';
import { RolesGuard } from './auth/roles.guard';
import { StaffUserEntity } from './staff/staff-user.entity';
import { StaffService } from './staff/staff.service';

export const BACKOFFICE_ENTITIES = [StaffUserEntity, AuditLogEntity];

@Global()
@Module({
  imports: [
    PassportModule,
    TypeOrmModule.forFeature(BACKOFFICE_ENTITIES),
    JwtModule.registerAsync({
      inject: [SecretBox],
      useFactory: (secrets: SecretBox) => ({ secret: jwtSecret(secrets), signOptions: { expiresIn: ACCESS_TOKEN_TTL_SECONDS, algorithm: 'HS256' } }),
    }),
  ],
  providers: [StaffService, AuditService, AuthService, JwtStrategy, RolesGuard],
  exports: [StaffService, AuditService, AuthService, RolesGuard],
})
export class BackofficeCoreModule {}
