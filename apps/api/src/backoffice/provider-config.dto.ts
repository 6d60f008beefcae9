import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';

export class ProviderConfigQueryDto {
  /** `xml` exports the PaymentIQ form (secrets masked). */
  @IsOptional() @IsIn(['json', 'xml']) format?: 'json' | 'xml';
}

export class ProviderConfigVersionParamsDto {
  @IsString() @Length(1, 64) id: string;
  @IsString() @Length(1, 64) provider: string;
  @Matches(/^[1-9]\d{0,8}$/, { message: 'version must be a positive integer' }) version: string;
}

export class ProviderConfigDiffQueryDto {
  @Matches(/^[1-9]\d{0,8}$/, { message: 'from must be a positive integer' }) from: string;
  @Matches(/^[1-9]\d{0,8}$/, { message: 'to must be a positive integer' }) to: string;
}

export class ProviderParamsDto {
  @IsString() @Length(1, 64) provider: string;
}
