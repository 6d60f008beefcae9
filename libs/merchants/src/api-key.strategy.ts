import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-custom';
import type { FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '@payhub/common';
import { AuthenticatedMerchant, MerchantsService } from './merchants.service';

export const API_KEY_STRATEGY = 'api-key';
export const API_KEY_HEADER = 'x-api-key';

@Injectable()
export class ApiKeyStrategy extends PassportStrategy(Strategy, API_KEY_STRATEGY) {
  constructor(private readonly merchants: MerchantsService) {
    super();
  }

  async validate(request: FastifyRequest): Promise<AuthenticatedMerchant> {
    const header = request.headers[API_KEY_HEADER];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Send your API key in the X-API-Key header');
    const merchant = await this.merchants.authenticate(key);
    if (!merchant) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The API key is not valid');
    return merchant;
  }
}
