import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy, ValidateNested } from 'class-validator';
import { IsApiPath, IsCurrencyList, IsHeaderName, ThreeDsRoutingSchema, defineConfigDescriptor } from '@payhub/providers-core';

/**
 * Kasha API v2 endpoint paths. Only payment-options, payment-suboptions, direct-payment and
 * settle-payout are documented; the rest are not published (NOTES §3.2), so every path is
 * overridable per account rather than trusted.
 */
export const KASHA_DEFAULT_PATHS = {
  hostedPayin: '/v2/hosted-payment',
  hostedPayout: '/v2/hosted-payout',
  hybridPayment: '/v2/hybrid-payment',
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
  @IsOptional() @IsApiPath() hybridPayment?: string;
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

export const KASHA_BODY_ENCODINGS = ['json', 'multipart'] as const;
export type KashaBodyEncoding = (typeof KASHA_BODY_ENCODINGS)[number];

/** How a deposit reaches Kasha: own UI over the API, Kasha's hosted cashier, or a hybrid link (option preselected). */
export const KASHA_DEPOSIT_FLOWS = ['direct', 'hosted', 'hybrid'] as const;
export type KashaDepositFlow = (typeof KASHA_DEPOSIT_FLOWS)[number];

/** How a payout reaches Kasha: the beneficiary from the request over the API, or Kasha's hosted payout link. */
export const KASHA_PAYOUT_FLOWS = ['direct', 'hosted'] as const;
export type KashaPayoutFlow = (typeof KASHA_PAYOUT_FLOWS)[number];

/**
 * What goes in the hosted cashier's `storedToken` ("Stored payment credential"; the sample value is
 * `index-stored`). No Kasha answer returns a token and payhub keeps no payment credentials, so by
 * default nothing is sent; `userId` sends payhub's user id as the index of the customer's stored
 * credentials at Kasha, the reading of the sample to confirm with Kasha.
 */
export const KASHA_STORED_TOKEN_SOURCES = ['none', 'userId'] as const;
export type KashaStoredTokenSource = (typeof KASHA_STORED_TOKEN_SOURCES)[number];

/**
 * Which entry of Kasha's payment options is "card" or "bank transfer". Options come back by display
 * name only (e.g. "Card", "Bank Transfer"), so each is matched case-insensitively by substring.
 */
export class KashaOptionNamesSchema {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) card?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(64) bankTransfer?: string;
}

export const KASHA_DEFAULT_OPTION_NAMES = { card: 'card', bankTransfer: 'bank' } as const;

/** Request fields a Kasha form input may be filled from (`formInputMap` values). */
export const KASHA_FORM_SOURCES = [
  'customer.fullName',
  'customer.firstName',
  'customer.lastName',
  'customer.email',
  'customer.phone',
  'customer.identify.number',
  'customer.identify.type',
  'customer.address.line1',
  'customer.address.city',
  'customer.address.state',
  'customer.address.postalCode',
  'customer.address.country',
  'bank.name',
  'bank.accountNumber',
  'bank.accountName',
  'bank.clearingNumber',
  'bank.bankCode',
  'bank.branchCode',
  'bank.iban',
  'bank.accountType',
  'wallet.account',
  'userId',
  'merchantTxId',
] as const;

function IsFormInputMap(): PropertyDecorator {
  return ValidateBy({
    name: 'isFormInputMap',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.entries(value).every(
          ([key, source]) => /^[A-Za-z0-9_.-]{1,64}$/.test(key) && (KASHA_FORM_SOURCES as readonly string[]).includes(source as string),
        ),
      defaultMessage: () => `formInputMap must map Kasha input names to one of ${KASHA_FORM_SOURCES.join(', ')}`,
    },
  });
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

  /** Deposit flow when the request's `service` does not choose one (`HOSTED_CASHIER`, `HYBRID_LINK`); default `direct`. */
  @IsOptional()
  @IsIn(KASHA_DEPOSIT_FLOWS)
  depositFlow?: KashaDepositFlow;

  /**
   * Payout flow when the request's `service` does not choose one (`HOSTED_CASHIER`); default `direct`.
   * A hosted payout is confirmed in Kasha's portal once the customer has filled the cashier: payhub's
   * approval came first and sends no settle-payout for it (docs/providers/kasha.md).
   */
  @IsOptional()
  @IsIn(KASHA_PAYOUT_FLOWS)
  payoutFlow?: KashaPayoutFlow;

  /** Hosted cashier `storedToken`: `none` (default) or `userId`. */
  @IsOptional()
  @IsIn(KASHA_STORED_TOKEN_SOURCES)
  storedTokenSource?: KashaStoredTokenSource;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => KashaOptionNamesSchema)
  optionNames?: KashaOptionNamesSchema;

  /** Kasha's names for form inputs payhub cannot guess, e.g. `{ "cbu": "bank.accountNumber" }`. */
  @IsOptional()
  @IsObject()
  @IsFormInputMap()
  formInputMap?: Record<string, string>;

  /**
   * Body encoding of payment-suboptions. The reference requires `multipart/form-data` (the default);
   * Kasha's integration guide shows JSON, so `json` is the other reading to confirm with Kasha.
   */
  @IsOptional()
  @IsIn(KASHA_BODY_ENCODINGS)
  paymentSuboptionsEncoding?: KashaBodyEncoding;

  /** Body encoding of payout-suboptions: JSON in the reference (the default). */
  @IsOptional()
  @IsIn(KASHA_BODY_ENCODINGS)
  payoutSuboptionsEncoding?: KashaBodyEncoding;

  /**
   * What a deposit Kasha still calls PENDING (or does not know) after its session expired is. The
   * document is silent on whether a started transfer can complete later: `wait` (default) keeps it
   * PROCESSING so money that still arrives is never told FAILED; `expire` ends it FAILED/EXPIRED.
   */
  @IsOptional()
  @IsIn(['wait', 'expire'])
  pendingAfterSessionExpiry?: 'wait' | 'expire';

  /** `merchantDomain` of payout-options: "Required for payment facilitators". */
  @IsOptional()
  @IsString()
  @MaxLength(255)
  @Matches(/^[A-Za-z0-9.-]+$/, { message: 'merchantDomain must be a domain name' })
  merchantDomain?: string;

  /** Kasha sessions last 30 minutes (documented); kept configurable so reconciliation can expire them. */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(86400)
  sessionLifetimeSeconds?: number;

  /** `language` of Kasha requests (EN, ES, PT, IN); default EN. */
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'language must be two upper-case letters' })
  language?: string;

  /** Kasha requires `redirectUrl`; used when a payment carries no redirect URLs (payouts usually do not). */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(/^https?:\/\/\S+$/, { message: 'redirectUrl must be an http(s) URL' })
  redirectUrl?: string;
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
