import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsIP,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';

/**
 * An optional nested block (`card`, `customer`, …): an object or absent. An array is refused, not
 * validated element by element: `card: []` used to pass and `customer: [...]` was stored as given.
 */
export function NestedBlock(type: () => new () => object): PropertyDecorator {
  return applyDecorators(IsOptional(), IsObject({ message: 'must be an object' }), ValidateNested(), Type(type));
}
import { luhnValid } from '@payhub/routing';

function IsCardNumber(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCardNumber',
      target: object.constructor,
      propertyName,
      options: { message: 'must be 12-19 digits and pass the Luhn check', ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && /^\d{12,19}$/.test(value) && luhnValid(value) },
    });
}

export class CardDto {
  @IsCardNumber() number: string;
  @Matches(/^(0[1-9]|1[0-2])$/, { message: 'must be two digits 01-12' }) expiryMonth: string;
  @Matches(/^20\d{2}$/, { message: 'must be a four-digit year' }) expiryYear: string;
  @IsOptional() @Matches(/^\d{3,4}$/, { message: 'must be 3 or 4 digits' }) cvv?: string;
  @IsOptional() @IsString() @Length(2, 64) holder?: string;
}

export class WalletDto {
  @IsString() @Length(3, 128) account: string;
}

export class BankDto {
  @IsOptional() @IsString() @Length(1, 128) name?: string;
  @IsOptional() @IsString() @Length(1, 64) accountNumber?: string;
  @IsOptional() @IsString() @Length(1, 128) accountName?: string;
  @IsOptional() @IsString() @Length(1, 32) clearingNumber?: string;
  @IsOptional() @IsString() @Length(1, 32) bankCode?: string;
  @IsOptional() @IsString() @Length(1, 32) branchCode?: string;
  @IsOptional() @Matches(/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/, { message: 'must be an IBAN without spaces' }) iban?: string;
  @IsOptional() @IsString() @Length(1, 32) accountType?: string;
  /** Check digit of the account where the bank keeps it apart (Paykassma `account_digit`). */
  @IsOptional() @Matches(/^[0-9A-Za-z]{1,4}$/, { message: 'must be 1-4 letters or digits' }) accountDigit?: string;
  /** The payment system's own bank code (Paykassma `bank_details.bank_code_in_payments_system`). */
  @IsOptional() @IsString() @Length(1, 32) providerBankCode?: string;
  /** How the payout is delivered at the payment system, e.g. MOBILE_MONEY (Paykassma `payments_details.payments_method`). */
  @IsOptional() @IsString() @Length(1, 64) paymentMethod?: string;
  /** The payment system's provider id (Paykassma `payments_details.payments_provider`). */
  @IsOptional() @IsString() @Length(1, 64) paymentProvider?: string;
}

export class BrowserDto {
  @IsOptional() @IsString() @MaxLength(512) acceptHeader?: string;
  @IsOptional() @IsString() @MaxLength(1024) userAgent?: string;
  @IsOptional() @IsString() @Length(2, 16) language?: string;
  @IsOptional() @IsInt() @IsIn([1, 4, 8, 15, 16, 24, 32, 48]) colorDepth?: number;
  @IsOptional() @IsInt() @Min(1) @Max(100000) screenHeight?: number;
  @IsOptional() @IsInt() @Min(1) @Max(100000) screenWidth?: number;
  @IsOptional() @IsInt() @Min(-840) @Max(840) timeZoneOffset?: number;
  @IsOptional() @IsBoolean() javaEnabled?: boolean;
  @IsOptional() @IsBoolean() javaScriptEnabled?: boolean;
  @IsOptional() @IsIP() ip?: string;
}

export class IdentifyDto {
  @IsString() @Length(1, 64) number: string;
  @IsString() @Length(1, 32) type: string;
}

export class AddressDto {
  @IsOptional() @IsString() @Length(1, 128) line1?: string;
  @IsOptional() @IsString() @Length(1, 128) line2?: string;
  @IsOptional() @IsString() @Length(1, 16) streetNumber?: string;
  @IsOptional() @IsString() @Length(1, 64) city?: string;
  @IsOptional() @IsString() @Length(1, 64) state?: string;
  @IsOptional() @IsString() @Length(1, 16) postalCode?: string;
  @IsOptional() @Matches(/^[A-Z]{2}$/, { message: 'must be an ISO 3166-1 alpha-2 code' }) country?: string;
}

export class CustomerDto {
  @IsOptional() @IsEmail() @MaxLength(254) email?: string;
  @IsOptional() @Matches(/^\+?[0-9]{6,16}$/, { message: 'must be 6-16 digits, optionally starting with +' }) phone?: string;
  @IsOptional() @IsString() @Length(1, 64) firstName?: string;
  @IsOptional() @IsString() @Length(1, 64) lastName?: string;
  @NestedBlock(() => IdentifyDto) identify?: IdentifyDto;
  @NestedBlock(() => AddressDto) address?: AddressDto;
  /** The customer's device kind, e.g. MOBILE (Kasha `userDevice`). */
  @IsOptional() @Matches(/^[A-Z_]{2,16}$/, { message: 'must be an upper-case device kind such as MOBILE or DESKTOP' }) device?: string;
}

export class OrderItemDto {
  @IsString() @Length(1, 255) productName: string;
  @IsOptional() @IsInt() @Min(1) @Max(1_000_000) quantity?: number;
  @IsOptional() @IsString() @Length(1, 64) dimensions?: string;
  @IsOptional() @IsString() @Length(1, 255) description?: string;
}

/** What was bought, for providers that take it (Kasha `tax`, `orderDetails`, `shippingAddress`); informational. */
export class OrderDto {
  /** A percentage as text, e.g. `21%`; informational only, never applied to the amount. */
  @IsOptional() @Matches(/^\d{1,3}(\.\d{1,2})?%$/, { message: 'must be a percentage such as 21%' }) tax?: string;
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => OrderItemDto) items?: OrderItemDto[];
  @NestedBlock(() => AddressDto) shippingAddress?: AddressDto;
}

const URL_OPTIONS = { require_protocol: true, protocols: ['http', 'https'], require_tld: false };

export class RedirectUrlsDto {
  @IsOptional() @IsUrl(URL_OPTIONS) @MaxLength(2048) success?: string;
  @IsOptional() @IsUrl(URL_OPTIONS) @MaxLength(2048) failure?: string;
  @IsOptional() @IsUrl(URL_OPTIONS) @MaxLength(2048) pending?: string;
}

export { URL_OPTIONS };
