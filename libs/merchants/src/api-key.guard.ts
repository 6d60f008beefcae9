import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { APP_CONFIG, AppConfig, DomainError, ErrorCode, RateLimiter } from '@payhub/common';
import { AuthenticatedMerchant, MerchantsService } from './merchants.service';

export const API_KEY_HEADER = 'x-api-key';

/** Merchant API key auth and its rate limit: the merchant lands on `request.user`. A plain guard: it runs on every payment. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthenticatedMerchant }>();
    const header = request.headers[API_KEY_HEADER];
    const key = Array.isArray(header) ? header[0] : header;
    if (!key) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Send your API key in the X-API-Key header');
    const merchant = await this.merchants.authenticate(key);
    if (!merchant) throw new DomainError(ErrorCode.UNAUTHENTICATED, 'The API key is not valid');
    // Counted per key after it authenticated, so made-up keys never create counters.
    await this.limiter.hit(`api-key:${merchant.apiKeyId}`, this.config.rateLimits.apiKeyPerSecond, 1000);
    request.user = merchant;
    return true;
  }
}
