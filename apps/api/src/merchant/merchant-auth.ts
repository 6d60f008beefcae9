import { applyDecorators, createParamDecorator, ExecutionContext, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import { ApiKeyGuard, AuthenticatedMerchant } from '@payhub/merchants';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';

/** Merchant API key auth plus Idempotency-Key handling for every POST of the controller (documented on POSTs by the OpenAPI builder). */
export function MerchantApi(): ClassDecorator {
  return applyDecorators(ApiSecurity('api-key'), UseGuards(ApiKeyGuard), UseInterceptors(IdempotencyInterceptor));
}

export const CurrentMerchant = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedMerchant => {
  return context.switchToHttp().getRequest<{ user: AuthenticatedMerchant }>().user;
});
