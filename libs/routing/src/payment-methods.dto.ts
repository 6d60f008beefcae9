import 'reflect-metadata';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsCurrencyCode } from '@payhub/common';
import type { Direction } from '@payhub/transactions';

const DIRECTIONS: readonly Direction[] = ['DEPOSIT', 'WITHDRAWAL'];

/** Query of `GET /v1/payment-methods`; query values arrive as strings. */
export class PaymentMethodsQueryDto {
  @IsIn(DIRECTIONS, { message: `direction must be one of ${DIRECTIONS.join(', ')}` })
  direction: Direction;

  @IsCurrencyCode()
  currency: string;

  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string;

  /** Minor units. */
  @IsOptional()
  @Matches(/^[1-9]\d{0,14}$/, { message: 'amount must be a positive integer in minor units' })
  amount?: string;
}
