import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { StaffService } from '../staff/staff.service';

export const ACCESS_TOKEN_TTL_SECONDS = 8 * 60 * 60;

@Injectable()
export class AuthService {
  constructor(private readonly staff: StaffService, private readonly jwt: JwtService) {}

  async login(email: string, password: string): Promise<{ accessToken: string; tokenType: 'Bearer'; expiresIn: number }> {
    const principal = await this.staff.authenticate(email, password);
    const accessToken = await this.jwt.signAsync({ sub: principal.id, email: principal.email, roles: principal.roles });
    return { accessToken, tokenType: 'Bearer', expiresIn: ACCESS_TOKEN_TTL_SECONDS };
  }
}
