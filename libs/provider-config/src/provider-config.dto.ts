import { IsBoolean, IsDefined, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsPaywayMapping } from '@payhub/providers-core';

/**
 * The provider-independent part of a config document. `baseUrls` and `accounts` are only checked
 * to be objects here; their contents depend on the provider's descriptor.
 */
export class ProviderConfigDto {
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @IsOptional()
  @IsBoolean()
  testMode?: boolean;

  @IsOptional()
  @IsBoolean()
  useViqProxy?: boolean;

  @IsOptional()
  @IsString()
  @IsPaywayMapping()
  paywayMapping?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  defaultDescriptor?: string;

  @IsOptional()
  @IsObject()
  baseUrls?: Record<string, string>;

  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(60000)
  timeoutMs?: number;

  @IsDefined()
  @IsObject()
  accounts: Record<string, unknown>;
}

export const CONFIG_DEFAULTS = { enabled: true, testMode: false } as const;

/** Account names are map keys in JSON and `<string>` entries in PaymentIQ XML. */
export const ACCOUNT_NAME = /^[A-Za-z0-9_-]{1,32}$/;
