import { ArrayMinSize, ArrayUnique, IsEmail, IsIn, IsOptional, IsString, IsUrl, Length, Matches, MaxLength } from 'class-validator';
import { STAFF_ROLES, StaffRole } from '@payhub/backoffice';

export class LoginDto {
  @IsEmail() @MaxLength(254) email: string;
  @IsString() @Length(1, 256) password: string;
  @IsOptional() @Matches(/^\d{6}$/, { message: 'must be the 6-digit code of the authenticator app' }) totpCode?: string;
}

export class TotpCodeDto {
  @Matches(/^\d{6}$/, { message: 'must be the 6-digit code of the authenticator app' }) code: string;
}

export class CreateMerchantDto {
  @Matches(/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/, { message: 'must be 1-128 letters, digits, spaces, . _ -' }) name: string;
  @IsOptional() @IsUrl({ require_protocol: true, protocols: ['http', 'https'], require_tld: false }) @MaxLength(2048) webhookUrl?: string;
}

export class CreateApiKeyDto {
  @IsOptional() @IsString() @Length(1, 64) label?: string;
}

export class UpdateMerchantDto {
  @IsIn(['active', 'disabled']) status: 'active' | 'disabled';
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
