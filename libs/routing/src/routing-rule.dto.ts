import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  buildMessage,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEnum,
  IsIn,
  IsInt,
  IsISO31661Alpha2,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  ValidationOptions,
} from 'class-validator';
import { SUPPORTED_CURRENCIES } from '@payhub/common';
import { TxType } from '@payhub/transactions';
import { CARD_BRANDS, CardBrand } from './card-brand';
import { RoutingSampleDto } from './routing-sample.dto';
import type { RoutingRuleInput, RuleActions, RuleConditions, TargetRef, WeightedTarget } from './routing.types';

export const MAX_ROUTING_RULES = 500;
export const MAX_RULE_TARGETS = 20;
export const MAX_TARGET_WEIGHT = 10_000;

function NotLessThan(property: string, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notLessThan',
      constraints: [property],
      validator: {
        validate: (value, args) => {
          const other = (args?.object as Record<string, unknown> | undefined)?.[property];
          return typeof value !== 'number' || typeof other !== 'number' || value >= other;
        },
        defaultMessage: buildMessage((each) => `${each}$property must not be less than ${property}`),
      },
    },
    options,
  );
}

const targetKey = (target: unknown): unknown => {
  const t = target as Partial<TargetRef> | null;
  return t && typeof t === 'object' ? `${t.provider}/${t.account}` : target;
};

export class RuleConditionsDto implements RuleConditions {
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsEnum(TxType, { each: true })
  txTypes?: TxType[];

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(64, { each: true })
  services?: string[];

  /** Any currency of payhub's one table: ISO 4217 in uppercase plus the crypto assets (USDT has 4 letters). */
  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(SUPPORTED_CURRENCIES, { each: true, message: 'each value in currencies must be an uppercase currency code payhub supports' })
  currencies?: string[];

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @Matches(/^[A-Z]{2}$/, { each: true, message: 'each value in countries must be 2 uppercase letters' })
  @IsISO31661Alpha2({ each: true })
  countries?: string[];

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @IsIn(CARD_BRANDS, { each: true })
  cardBrands?: CardBrand[];

  @IsOptional()
  @IsArray()
  @ArrayUnique()
  @Matches(/^\d{1,8}$/, { each: true, message: 'each value in binPrefixes must be 1 to 8 digits' })
  binPrefixes?: string[];

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMin?: number;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  @NotLessThan('amountMin')
  amountMax?: number;
}

export class RuleFallbackDto implements TargetRef {
  @IsString()
  @Matches(/^[a-z][a-z0-9_-]{0,63}$/, { message: 'provider must be a provider id such as interkassa' })
  provider: string;

  @IsString()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'account must be an account name such as DEFAULT' })
  account: string;
}

export class RuleTargetDto extends RuleFallbackDto implements WeightedTarget {
  @IsInt()
  @Min(1)
  @Max(MAX_TARGET_WEIGHT)
  weight: number;
}

export class RuleActionsDto implements RuleActions {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_RULE_TARGETS)
  @ArrayUnique(targetKey, { message: 'targets must not name the same provider/account twice' })
  @ValidateNested({ each: true })
  @Type(() => RuleTargetDto)
  targets: RuleTargetDto[];

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_RULE_TARGETS)
  @ArrayUnique(targetKey, { message: 'fallback must not name the same provider/account twice' })
  @ValidateNested({ each: true })
  @Type(() => RuleFallbackDto)
  fallback?: RuleFallbackDto[];
}

export class RoutingRuleDto implements RoutingRuleInput {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;

  /** Lower runs first; equal priorities keep their list order. */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  priority: number;

  @IsBoolean()
  enabled: boolean;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RuleConditionsDto)
  when: RuleConditionsDto;

  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RuleActionsDto)
  then: RuleActionsDto;
}

/** Body of `PUT /backoffice/merchants/{id}/routing/rules`: replaces the whole list. */
export class RoutingRulesDto {
  @IsArray()
  @ArrayMaxSize(MAX_ROUTING_RULES)
  @ArrayUnique((rule: unknown) => (rule && typeof rule === 'object' ? (rule as { name?: unknown }).name : rule), {
    message: 'rules must have unique names',
  })
  @ValidateNested({ each: true })
  @Type(() => RoutingRuleDto)
  rules: RoutingRuleDto[];
}

/**
 * Body of `POST /backoffice/merchants/{id}/routing/explain-draft`: rules as they would be PUT (validated
 * the same, errors at the same `rules[i]…` fields) and a sample payment; nothing is stored.
 */
export class RoutingDraftExplainDto extends RoutingRulesDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RoutingSampleDto)
  payment: RoutingSampleDto;
}
