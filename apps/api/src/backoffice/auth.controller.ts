import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AuthService, CurrentStaff, StaffAuth, StaffEnrolmentAuth, StaffPrincipal } from '@payhub/backoffice';
import { LoginDto, TotpCodeDto } from './backoffice.dto';

@ApiTags('backoffice')
@Controller('backoffice/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Staff login: answers a session token for Authorization: Bearer (idle 30 min, at most 8 h); totpCode when enrolled' })
  login(@Body() dto: LoginDto, @Req() req: FastifyRequest) {
    return this.auth.login(dto, { ip: req.ip, userAgent: req.headers['user-agent'] ?? null });
  }

  @Get('me')
  @ApiBearerAuth()
  @StaffAuth('viewer')
  @ApiOperation({ summary: 'Who this session is: id, email and roles (the console shows only the controls the roles allow)' })
  me(@CurrentStaff() staff: StaffPrincipal) {
    return { id: staff.id, email: staff.email, roles: staff.roles };
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @StaffEnrolmentAuth()
  @ApiOperation({ summary: 'End this session at once' })
  async logout(@CurrentStaff() staff: StaffPrincipal): Promise<void> {
    await this.auth.logout(staff.sessionId!);
  }

  @Post('totp/enrol')
  @HttpCode(200)
  @ApiBearerAuth()
  @StaffEnrolmentAuth()
  @ApiOperation({ summary: 'Start TOTP enrolment: answers the secret (shown once) and an otpauth:// URL for an authenticator app' })
  enrol(@CurrentStaff() staff: StaffPrincipal) {
    return this.auth.startTotpEnrolment(staff.id, staff.email);
  }

  @Post('totp/confirm')
  @HttpCode(204)
  @ApiBearerAuth()
  @StaffEnrolmentAuth()
  @ApiOperation({ summary: 'Confirm enrolment with a current code: from now on login needs totpCode; other sessions end' })
  async confirm(@CurrentStaff() staff: StaffPrincipal, @Body() dto: TotpCodeDto): Promise<void> {
    await this.auth.confirmTotp(staff.id, staff.sessionId!, dto.code);
  }
}
