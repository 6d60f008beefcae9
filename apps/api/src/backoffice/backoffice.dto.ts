import {
  ArrayMinSize,
  ArrayUnique,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { STAFF_ROLES, StaffRole } from '@payhub/backoffice';

const MERCHANT_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/;
const MERCHANT_NAME_RULE = 'must be 1-128 letters, digits, spaces, . _ -';
const WEBHOOK_URL = { require_protocol: true, protocols: ['http', 'https'], require_tld: false };

export class LoginDto {
  @IsEmail() @MaxLength(254) email: string;
  @IsString() @Length(1, 256) password: string;
  @IsOptional() @Matches(/^\d{6}$/, { message: 'must be the 6-digit code of the authenticator app' }) totpCode?: string;
}

export class TotpCodeDto {
  @Matches(/^\d{6}$/, { message: 'must be the 6-digit code of the authenticator app' }) code: string;
}

export class CreateMerchantDto {
  @IsString() @Matches(MERCHANT_NAME, { message: MERCHANT_NAME_RULE }) name: string;
  @IsOptional() @IsUrl(WEBHOOK_URL) @MaxLength(2048) webhookUrl?: string;
}

export class CreateApiKeyDto {
  @IsOptional() @IsString() @Length(1, 64) label?: string;
}

/** Any subset of the fields; `webhookUrl: null` removes the URL (webhooks then go only to a transaction's notificationUrl). */
export class UpdateMerchantDto {
  @ValidateIf((o: UpdateMerchantDto) => o.name !== undefined) @IsString() @Matches(MERCHANT_NAME, { message: MERCHANT_NAME_RULE }) name?: string;
  @ValidateIf((o: UpdateMerchantDto) => o.status !== undefined) @IsIn(['active', 'disabled']) status?: 'active' | 'disabled';
  @IsOptional() @IsUrl(WEBHOOK_URL) @MaxLength(2048) webhookUrl?: string | null;
}

export class RotateWebhookSecretDto {
  /** How long the replaced secret keeps signing webhooks beside the new one; 0 retires it at once. Default 24 h. */
  @IsOptional() @IsInt() @Min(0) @Max(7 * 24 * 60 * 60) gracePeriodSeconds?: number;
}

export class CreateStaffDto {
  @IsEmail() @MaxLength(254) email: string;
  @IsString() @Length(10, 256) password: string;
  @ArrayMinSize(1) @ArrayUnique() @IsIn(STAFF_ROLES, { each: true }) roles: StaffRole[];
}

export class UpdateStaffDto {
  @IsOptional() @ArrayMinSize(1) @ArrayUnique() @IsIn(STAFF_ROLES, { each: true }) roles?: StaffRole[];
  @IsOptional() @IsIn(['active', 'disabled']) status?: 'active' | 'disabled';
  @IsOptional() @IsString() @Length(10, 256) password?: string;
}

export class PageQueryDto {
  @IsOptional() @Matches(/^([1-9]\d?|100)$/, { message: 'must be an integer 1-100' }) limit?: string;
  @IsOptional() @IsString() @Length(1, 64) startingAfter?: string;
}

export class PendingChangesQueryDto extends PageQueryDto {
  @IsOptional() @IsIn(['pending', 'confirmed', 'rejected', 'expired']) status?: 'pending' | 'confirmed' | 'rejected' | 'expired';
}

export class RejectChangeDto {
  @IsOptional() @IsString() @Length(1, 500) reason?: string;
}
