import { IsBoolean, IsDefined, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateBy } from 'class-validator';
import { IsCurrencyList, defineConfigDescriptor, isHttpUrl } from '@payhub/providers-core';

const WALLET_LIST = /^[a-z0-9_]+(\|[a-z0-9_]+)*$/;

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

  /*
   * What follows is optional and covers what the documents leave to Paykassma support: each has a
   * documented default in the adapter (docs/providers/paykassma.md), so none is guessed silently.
   */

  /** Payment systems created with `payment/create/{ps}` (redirect, no activation), `|`-separated. Default `bkash_api|nagad_api`. */
  @IsOptional()
  @Matches(WALLET_LIST, { message: 'must be wallet types separated by |' })
  redirectPaymentSystems?: string;

  /** Activation PSs whose `transaction/activate` needs `amount` (the document's table). Default `upi_p2p|phone_pe` (the document's wallet type). */
  @IsOptional()
  @Matches(WALLET_LIST, { message: 'must be wallet types separated by |' })
  activationAmountWalletTypes?: string;

  /**
   * Paykassma credits what the customer actually paid (the activation amount, savings): with this set,
   * a credited amount other than the requested one settles the deposit SUCCESSFUL with `settledAmount`;
   * without it, such a credit holds the deposit INCONSISTENT with an AMOUNT_MISMATCH conflict.
   */
  @IsOptional()
  @IsBoolean()
  acceptCreditedAmount?: boolean;

  /** Every deposit goes to the payment window (plugin) instead of the API flows. */
  @IsOptional()
  @IsBoolean()
  paymentWindow?: boolean;

  /** The payment window (`https://plugin.{domain}/`), issued by Paykassma support. Needed for the window flow. */
  @IsOptional()
  @ValidateBy({
    name: 'isHttpUrl',
    validator: { validate: (v: unknown) => isHttpUrl(v), defaultMessage: () => 'must be an absolute http(s) URL without credentials' },
  })
  pluginUrl?: string;

  /** `lang` of the payment window and `language` of `payment/create`. Default `en`. */
  @IsOptional()
  @Matches(/^[a-z]{2}$/, { message: 'must be an ISO 639-1 code' })
  language?: string;

  /** Redirect URL ids registered with support; used instead of hashed URLs when set. */
  @IsOptional() @IsString() @MaxLength(32) paymentUrlSuccessId?: string;
  @IsOptional() @IsString() @MaxLength(32) paymentUrlFailId?: string;
  @IsOptional() @IsString() @MaxLength(32) paymentUrlPendingId?: string;

  /** `possible-transaction` body: `multipart` (the Itau manual, screenshot as a file) or `json` (the API page). Default `multipart`. */
  @IsOptional()
  @IsIn(['multipart', 'json'])
  possibleTransactionEncoding?: 'multipart' | 'json';

  /** nextAction of an activation deposit. Default `ACTIVATE` (pay-to details plus the fields to ask for). */
  @IsOptional()
  @IsIn(['ACTIVATE', 'DISPLAY_DETAILS'])
  depositNextAction?: 'ACTIVATE' | 'DISPLAY_DETAILS';

  /**
   * Overrides of the per-PS required withdrawal fields, e.g. `bkash:account_number,account_email;imps_ib:account_number,account_name,bank_details.bank_code`.
   */
  @IsOptional()
  @Matches(/^[a-z0-9_]+:[a-z_.]+(,[a-z_.]+)*(;[a-z0-9_]+:[a-z_.]+(,[a-z_.]+)*)*$/, { message: 'must look like ps:field,field;ps2:field' })
  @MaxLength(2048)
  withdrawalRequiredFields?: string;
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
