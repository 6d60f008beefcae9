import { IsIn, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';
import { IsCurrencyCode, IsMinorAmount } from '@payhub/common';
import { DEPOSIT_TX_TYPES, TxType, WITHDRAWAL_TX_TYPES } from '@payhub/transactions';
import { BankDto, BrowserDto, CardDto, CustomerDto, NestedBlock, OrderDto, RedirectUrlsDto, URL_OPTIONS, WalletDto } from './payment-blocks.dto';

const REFERENCE = /^[A-Za-z0-9._:\-/]{1,64}$/;

abstract class PaymentRequestDto {
  @Matches(REFERENCE, { message: 'must be 1-64 characters of A-Z a-z 0-9 . _ : - /' }) merchantTxId: string;
  @Matches(REFERENCE, { message: 'must be 1-64 characters of A-Z a-z 0-9 . _ : - /' }) userId: string;
  abstract txType: TxType;
  @IsOptional() @IsString() @Matches(/^[A-Za-z0-9_]{1,32}$/, { message: 'must be 1-32 letters, digits or _' }) service?: string | null;
  /** Minor units. Max keeps every amount a safe integer end to end. */
  @IsMinorAmount({ currencyProperty: 'currency' }) amount: number;
  @IsCurrencyCode() currency: string;
  @IsOptional() @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code' }) country?: string;
  @NestedBlock(() => CardDto) card?: CardDto;
  @NestedBlock(() => WalletDto) wallet?: WalletDto;
  @NestedBlock(() => BankDto) bank?: BankDto;
  @NestedBlock(() => BrowserDto) browser?: BrowserDto;
  @NestedBlock(() => CustomerDto) customer?: CustomerDto;
  @NestedBlock(() => RedirectUrlsDto) redirectUrls?: RedirectUrlsDto;
  @NestedBlock(() => OrderDto) order?: OrderDto;
  @IsOptional() @IsUrl(URL_OPTIONS) @MaxLength(2048) notificationUrl?: string;
}

export class DepositRequestDto extends PaymentRequestDto {
  @IsIn(DEPOSIT_TX_TYPES, { message: `must be one of ${DEPOSIT_TX_TYPES.join(', ')}` }) txType: TxType;
}

export class WithdrawalRequestDto extends PaymentRequestDto {
  @IsIn(WITHDRAWAL_TX_TYPES, { message: `must be one of ${WITHDRAWAL_TX_TYPES.join(', ')}` }) txType: TxType;
}

export type AnyPaymentRequestDto = DepositRequestDto | WithdrawalRequestDto;

export class ListTransactionsQueryDto {
  @IsOptional() @Matches(REFERENCE, { message: 'must be 1-64 characters of A-Z a-z 0-9 . _ : - /' }) merchantTxId?: string;
  @IsOptional() @Matches(REFERENCE, { message: 'must be 1-64 characters of A-Z a-z 0-9 . _ : - /' }) userId?: string;
  @IsOptional() @IsIn(['REGISTERED', 'WAITING_INPUT', 'PROCESSING', 'WAITING_APPROVAL', 'SUCCESSFUL', 'FAILED', 'CANCELLED', 'INCONSISTENT']) status?: string;
  @IsOptional() @Matches(/^([1-9]\d?|100)$/, { message: 'must be an integer 1-100' }) limit?: string;
  @IsOptional() @Matches(/^tx_[0-9A-Z]{26}$/, { message: 'must be a transaction id' }) startingAfter?: string;
}
