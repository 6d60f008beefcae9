import { IsDefined, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCurrencyList, defineConfigDescriptor } from '@payhub/provider-config';

/**
 * One Paykassma account. Required: the plugin API secret (every `?secret=` call, deposits included)
 * and both postback keys (every deposit and withdrawal result arrives as a signed postback).
 * `withdrawalPrivateKey` signs `/v2/withdrawal/create` and is only needed for payouts.
 */
export class PaykassmaAccountSchema {
  /** The `?secret=` of the plugin API. */
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  pluginApiSecret: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  withdrawalPrivateKey?: string;

  /** Public half of the postback signature key; Paykassma sends it as `access_key`. */
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  postbackAccessKey: string;

  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  postbackPrivateKey: string;

  /** Absent means the account is not filtered by currency. */
  @IsOptional()
  @IsCurrencyList()
  supportedCurrencies?: string;
}

export const PAYKASSMA_CONFIG_DESCRIPTOR = defineConfigDescriptor<PaykassmaAccountSchema>({
  provider: 'paykassma',
  accountClass: PaykassmaAccountSchema,
  secretFields: ['pluginApiSecret', 'withdrawalPrivateKey', 'postbackAccessKey', 'postbackPrivateKey'],
  xmlRootElement: 'com.devcode.paymentiq.integration.paykassma.PaykassmaConfig',
  // The API host is per merchant (`https://api.{server}`), so there is no default.
  baseUrlNames: ['api'],
  defaults: { account: {}, baseUrls: {} },
});
