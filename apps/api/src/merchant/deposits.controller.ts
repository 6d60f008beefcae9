import { Body, Controller, Post } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedMerchant } from '@payhub/merchants';
import { CreatePaymentUseCase, DepositRequestDto } from '@payhub/payments';
import { presentTransaction, TRANSACTION_RESPONSE_SCHEMA, TransactionResponse } from '@payhub/transactions';
import { CurrentMerchant, MerchantApi } from './merchant-auth';

@ApiTags('merchant')
@MerchantApi()
@Controller('v1/deposits')
export class DepositsController {
  constructor(private readonly payments: CreatePaymentUseCase) {}

  @Post()
  // Serialised from the schema (fast-json-stringify); a replayed answer keeps JSON.stringify (AllExceptionsFilter).
  @RouteSchema({ response: { 201: TRANSACTION_RESPONSE_SCHEMA } })
  @ApiOperation({ summary: 'Create a deposit: routed, sent to the provider, answered with nextAction' })
  async create(@CurrentMerchant() merchant: AuthenticatedMerchant, @Body() dto: DepositRequestDto): Promise<TransactionResponse> {
    return presentTransaction(await this.payments.deposit({ merchant }, dto));
  }
}
