import { Type } from 'class-transformer';
import { IsDefined, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IsApiPath, IsCurrencyList, IsHeaderName, ThreeDsRoutingSchema, defineConfigDescriptor } from '@payhub/provider-config';

/**
 * Kasha API v2 endpoint paths. Only payment-options, payment-suboptions, direct-payment and
 * settle-payout are documented; the rest are not published (NOTES §3.2), so every path is
 * overridable per account rather than trusted.
 */
export const KASHA_DEFAULT_PATHS = {
  hostedPayin: '/v2/hosted-payment',
  hostedPayout: '/v2/hosted-payout',
  paymentOptions: '/v2/payment-options',
  paymentSuboptions: '/v2/payment-suboptions',
  directPayment: '/v2/direct-payment',
  payoutOptions: '/v2/payout-options',
  payoutSuboptions: '/v2/payout-suboptions',
  createPayout: '/v2/payout',
  settlePayout: '/v2/settle-payout',
  refund: '/v2/refund',
  transactionStatus: '/v2/transactions/{transactionId}',
} as const;

export type KashaPaths = { -readonly [K in keyof typeof KASHA_DEFAULT_PATHS]: string };

/** Overrides of `KASHA_DEFAULT_PATHS`; stored as given so later corrections of the defaults still apply. */
export class KashaPathsSchema implements Partial<KashaPaths> {
  @IsOptional() @IsApiPath() hostedPayin?: string;
  @IsOptional() @IsApiPath() hostedPayout?: string;
  @IsOptional() @IsApiPath() paymentOptions?: string;
  @IsOptional() @IsApiPath() paymentSuboptions?: string;
  @IsOptional() @IsApiPath() directPayment?: string;
  @IsOptional() @IsApiPath() payoutOptions?: string;
  @IsOptional() @IsApiPath() payoutSuboptions?: string;
  @IsOptional() @IsApiPath() createPayout?: string;
  @IsOptional() @IsApiPath() settlePayout?: string;
  @IsOptional() @IsApiPath() refund?: string;

  @IsOptional()
  @IsApiPath()
  @Matches(/\{transactionId\}/, { message: 'transactionStatus must contain the {transactionId} placeholder' })
  transactionStatus?: string;
}

/** The paths an adapter calls: the account's overrides over the defaults. */
export function kashaPaths(overrides?: Partial<KashaPaths> | null): KashaPaths {
  return { ...KASHA_DEFAULT_PATHS, ...overrides };
}

/**
 * One Kasha account. Required: `apiKey`. The header carrying it is not documented (NOTES §3.2), so
 * `apiKeyHeader` is configurable with `x-api-key` as the default.
 */
export class KashaAccountSchema {
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(512)
  apiKey: string;

  @IsDefined()
  @IsHeaderName()
  apiKeyHeader: string;

  /** Absent means the account is not filtered by currency. */
  @IsOptional()
  @IsCurrencyList()
  supportedCurrencies?: string;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => KashaPathsSchema)
  paths?: KashaPathsSchema;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ThreeDsRoutingSchema)
  threeDsRouting?: ThreeDsRoutingSchema;
}

export const KASHA_CONFIG_DESCRIPTOR = defineConfigDescriptor<KashaAccountSchema>({
  provider: 'kasha',
  accountClass: KashaAccountSchema,
  secretFields: ['apiKey'],
  xmlRootElement: 'com.devcode.paymentiq.integration.kasha.KashaConfig',
  baseUrlNames: ['api'],
  defaults: {
    account: { apiKeyHeader: 'x-api-key' },
    // The only host seen is api-gateway.kasha.io (NOTES §3.1, low confidence); merchants may override it.
    baseUrls: { api: 'https://api-gateway.kasha.io' },
  },
});
