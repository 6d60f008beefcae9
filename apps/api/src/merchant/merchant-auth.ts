import { applyDecorators, createParamDecorator, ExecutionContext, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiSecurity } from '@nestjs/swagger';
import { ApiKeyGuard, AuthenticatedMerchant } from '@payhub/merchants';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';

/** Merchant API key auth plus Idempotency-Key handling for every POST of the controller. */
export function MerchantApi(): ClassDecorator {
  return applyDecorators(
    ApiSecurity('api-key'),
    ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Replays the first response for the same key and body (kept 24 h)' }),
    UseGuards(ApiKeyGuard),
    UseInterceptors(IdempotencyInterceptor),
  );
}

export const CurrentMerchant = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedMerchant => {
  return context.switchToHttp().getRequest<{ user: AuthenticatedMerchant }>().user;
});
