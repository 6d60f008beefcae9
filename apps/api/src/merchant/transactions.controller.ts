import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedMerchant } from '@payhub/merchants';
import { ListTransactionsQueryDto } from '@payhub/payments';
import { Page, presentTransaction, TransactionQueryService, TransactionResponse, TxStatus } from '@payhub/transactions';
import { CurrentMerchant, MerchantApi } from './merchant-auth';

@ApiTags('merchant')
@MerchantApi()
@Controller('v1/transactions')
export class TransactionsController {
  constructor(private readonly transactions: TransactionQueryService) {}

  @Get(':id')
  @ApiOperation({ summary: 'One transaction of this merchant' })
  async get(@CurrentMerchant() merchant: AuthenticatedMerchant, @Param('id') id: string): Promise<TransactionResponse> {
    return presentTransaction(await this.transactions.get(id, merchant.id));
  }

  @Get()
  @ApiOperation({ summary: "This merchant's transactions, newest first, cursor paginated" })
  async list(@CurrentMerchant() merchant: AuthenticatedMerchant, @Query() query: ListTransactionsQueryDto): Promise<Page<TransactionResponse>> {
    const page = await this.transactions.list(
      { merchantId: merchant.id, merchantTxId: query.merchantTxId, userId: query.userId, status: query.status as TxStatus | undefined },
      Number(query.limit ?? 20),
      query.startingAfter,
    );
    return { ...page, data: page.data.map(presentTransaction) };
  }
}
