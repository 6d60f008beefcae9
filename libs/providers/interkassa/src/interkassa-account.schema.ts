import { Type } from 'class-transformer';
import { IsBoolean, IsDefined, IsIn, IsNotEmpty, IsObject, IsOptional, IsString, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { FailureCode } from '@payhub/domain';
import { IsCurrencyList, ThreeDsRoutingSchema, defineConfigDescriptor } from '@payhub/providers-core';

export const INTERKASSA_SIGN_ALGORITHMS = ['md5', 'sha256'] as const;
export type InterkassaSignAlgorithm = (typeof INTERKASSA_SIGN_ALGORITHMS)[number];
export const INTERKASSA_PAYOUT_CALC_KEYS = ['psPayeeAmount', 'ikPayerPrice'] as const;
export type InterkassaPayoutCalcKey = (typeof INTERKASSA_PAYOUT_CALC_KEYS)[number];
const FAILURE_CODES = Object.values(FailureCode).join('|');
const REFUSAL_CODES = new RegExp(`^\\s*[A-Za-z0-9_-]{1,32}->(${FAILURE_CODES})\\s*(,\\s*[A-Za-z0-9_-]{1,32}->(${FAILURE_CODES})\\s*)*$`);
const SERVICE_MAPPING = /^\s*[A-Za-z0-9_]+->[A-Za-z0-9_.-]+\s*(,\s*[A-Za-z0-9_]+->[A-Za-z0-9_.-]+\s*)*$/;

/**
 * One Interkassa account: PaymentIQ's `InterkassaConfig` account attributes plus payhub's `testKey`,
 * `signAlgorithm` and `threeDsRouting`.
 *
 * Required: `checkoutId` and `secretKey`, the minimum to take a deposit (SCI `ik_co_id`, `ik_sign`) and
 * to verify its interaction callback. The REST API (payouts, refunds, status checks) needs the
 * `customerId` + `apiKey` pair and the `accountID` (Ik-Api-Account-Id) header, all-or-nothing; `walletId`
 * (payout purse) stays optional because only payouts and balances use it. Values are not
 * pattern-checked beyond "non-empty": PaymentIQ's own example carries `??` placeholders.
 */
export class InterkassaAccountSchema {
  /** API User ID, the user half of the REST API's Basic auth. */
  @ValidateIf((account: InterkassaAccountSchema) => account.customerId !== undefined || account.apiKey !== undefined)
  @IsDefined({ message: 'customerId is required when apiKey is set' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  customerId?: string;

  /** API Key, the secret half of the REST API's Basic auth. */
  @ValidateIf((account: InterkassaAccountSchema) => account.customerId !== undefined || account.apiKey !== undefined)
  @IsDefined({ message: 'apiKey is required when customerId is set' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  apiKey?: string;

  /** Sign Key of the checkout: signs SCI requests and verifies interaction callbacks. */
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  secretKey: string;

  /** Test key of the checkout: Interkassa signs notifications of the test payway with it. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(256)
  testKey?: string;

  /**
   * Business account `_id`, sent as `Ik-Api-Account-Id`. Every REST call payhub makes (payouts,
   * refunds, status checks, purses) needs it, so it comes with the API credentials.
   */
  @ValidateIf((account: InterkassaAccountSchema) => account.customerId !== undefined || account.apiKey !== undefined || account.accountID !== undefined)
  @IsDefined({ message: 'accountID (Ik-Api-Account-Id) is required with the API credentials customerId/apiKey' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  accountID?: string;

  /** Kassa (checkout) id, `ik_co_id`. */
  @IsDefined()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  checkoutId: string;

  /** Purse id, sent as `purseId` on payouts. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  walletId?: string;

  /** Payment method (card, bitcoin, qiwi, ...); adapters use `card` for card payments when absent. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'method must be a method alias such as card' })
  method?: string;

  /**
   * Whether the account's card payments go through 3-D Secure. `false`: a card deposit that 3DS2 routing
   * requires is not sent here (not taken, so routing may fall back); `true`: the browser fingerprint is
   * sent whenever the request carries one.
   */
  @IsOptional()
  @IsBoolean()
  use3Dsecure?: boolean;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  defaultDescriptor?: string;

  /** Absent means the account is not filtered by currency. */
  @IsOptional()
  @IsCurrencyList()
  supportedCurrencies?: string;

  /** Set to false once Interkassa enabled `ik_result_url` for the checkout (PaymentIQ doc). */
  @IsOptional()
  @IsBoolean()
  doDefaultRedirect?: boolean;

  /** The checkout's signature algorithm setting. */
  @IsDefined()
  @IsIn(INTERKASSA_SIGN_ALGORITHMS)
  signAlgorithm: InterkassaSignAlgorithm;

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ThreeDsRoutingSchema)
  threeDsRouting?: ThreeDsRoutingSchema;

  /**
   * `SERVICE->payway` for the non-card deposits (`ik_pw_via`), e.g. `UPI->inps_cpaytrz_merchantUPI_inr`.
   * Interkassa's payway reference is not public, so the aliases seen in integrations are only defaults.
   */
  @IsOptional()
  @IsString()
  @Matches(SERVICE_MAPPING, { message: 'servicePayways must be SERVICE->payway pairs separated by commas, e.g. UPI->inps_cpaytrz_merchantUPI_inr' })
  servicePayways?: string;

  /** `TxType->method` for payouts (`method` of POST /withdraw); the method names are account-specific. */
  @IsOptional()
  @IsString()
  @Matches(SERVICE_MAPPING, { message: 'payoutMethods must be TxType->method pairs separated by commas, e.g. WalletWithdrawal->upi' })
  payoutMethods?: string;

  /** Currency of the `walletId` purse: Interkassa's purse resource does not state it. */
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'purseCurrency must be an ISO 4217 code such as UAH' })
  purseCurrency?: string;

  /**
   * Interkassa publishes no refusal codes, so none is read as a cause unless the account says so:
   * `code->FAILURE_CODE` pairs, e.g. `1451->INSUFFICIENT_FUNDS` (to confirm with Interkassa). Others are PROVIDER_ERROR.
   */
  @IsOptional()
  @Matches(REFUSAL_CODES, {
    message: `refusalCodes must be code->FAILURE_CODE pairs separated by commas, FAILURE_CODE one of ${Object.values(FailureCode).join(', ')}`,
  })
  refusalCodes?: string;

  /**
   * Whether Interkassa signs the payout notification (its format is not published). Default true: an
   * `ik_sign` computed as the SCI's; false accepts an unsigned one, which only triggers a status check.
   */
  @IsOptional()
  @IsBoolean()
  withdrawalCallbackSigned?: boolean;

  /** Which side a payout amount refers to: what the payee receives (default) or what the purse pays. */
  @IsOptional()
  @IsIn(INTERKASSA_PAYOUT_CALC_KEYS)
  payoutCalcKey?: InterkassaPayoutCalcKey;
}

export const INTERKASSA_CONFIG_DESCRIPTOR = defineConfigDescriptor<InterkassaAccountSchema>({
  provider: 'interkassa',
  accountClass: InterkassaAccountSchema,
  secretFields: ['apiKey', 'secretKey', 'testKey'],
  xmlRootElement: 'com.devcode.paymentiq.integration.interkassa.InterkassaConfig',
  baseUrlNames: ['api', 'sci'],
  defaults: {
    account: { signAlgorithm: 'sha256' },
    baseUrls: { api: 'https://api.interkassa.com/v1', sci: 'https://sci.interkassa.com/' },
  },
});
