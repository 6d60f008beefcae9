import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedMerchant } from '@payhub/merchants';
import { PaymentMethodsQueryDto, PaymentMethodsService } from '@payhub/routing';
import { CurrentMerchant, MerchantApi } from './merchant-auth';

@ApiTags('merchant')
@MerchantApi()
@Controller('v1/payment-methods')
export class PaymentMethodsController {
  constructor(private readonly methods: PaymentMethodsService) {}

  @Get()
  @ApiOperation({ summary: 'Methods the routing accepts now for a direction, currency, country and amount: input fields and limits' })
  async list(@CurrentMerchant() merchant: AuthenticatedMerchant, @Query() query: PaymentMethodsQueryDto) {
    return this.methods.list(merchant.id, query);
  }
}
