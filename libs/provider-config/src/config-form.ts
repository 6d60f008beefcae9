import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import { CONFIG_DEFAULTS, ProviderConfigDto } from './provider-config.dto';
import type { ProviderConfigDescriptor } from './provider-config.types';

type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];
type Ctor = new (...args: never[]) => unknown;

/** One field of a config form, read from the class-validator rules that validate it. */
export interface ConfigFormField {
  name: string;
  /** `object`: nested fields in `fields`; `map`: free keys to strings (a JSON object). */
  type: 'string' | 'boolean' | 'integer' | 'enum' | 'object' | 'map';
  /** Must be present whenever the config is saved. */
  required: boolean;
  /** Required only together with other fields (a `ValidateIf`); the API names the missing one. */
  conditional: boolean;
  secret: boolean;
  enum?: string[];
  pattern?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  /** Filled in by payhub when the field is absent. */
  default?: unknown;
  /** What the value looks like, where its rule says more than its type. */
  hint?: string;
  fields?: ConfigFormField[];
}

/**
 * What a console needs to generate a provider's config form: the provider-independent fields, the
 * base URLs with their defaults, and one account's fields. Derived from the descriptor the adapter
 * carries, so the form cannot drift from what the API validates.
 */
export interface ProviderConfigForm {
  provider: string;
  xmlRootElement: string;
  secretFields: string[];
  config: ConfigFormField[];
  baseUrls: Array<{ name: string; default: string | null }>;
  account: ConfigFormField[];
}

const HINTS: Record<string, string> = {
  isCurrencyList: 'currency codes separated by |, e.g. UAH|KZT|EUR',
  isPaywayMapping: 'BRAND->payway pairs separated by commas, e.g. VISA->visa,VISA_UAH->visa_uah',
  isApiPath: 'a path starting with a single /',
  isHeaderName: 'an HTTP header name',
};

export function describeConfigForm(descriptor: ProviderConfigDescriptor): ProviderConfigForm {
  const secrets = new Set(descriptor.secretFields);
  const defaults = descriptor.defaults.account as Record<string, unknown>;
  return {
    provider: descriptor.provider,
    xmlRootElement: descriptor.xmlRootElement,
    secretFields: [...descriptor.secretFields],
    config: fieldsOf(ProviderConfigDto, new Set(), CONFIG_DEFAULTS).filter((f) => f.name !== 'accounts' && f.name !== 'baseUrls'),
    baseUrls: descriptor.baseUrlNames.map((name) => ({ name, default: descriptor.defaults.baseUrls[name] ?? null })),
    account: fieldsOf(descriptor.accountClass, secrets, defaults),
  };
}

function fieldsOf(target: Ctor, secrets: Set<string>, defaults: Record<string, unknown>): ConfigFormField[] {
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of getMetadataStorage().getTargetValidationMetadatas(target, '', true, false)) {
    byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
  }
  return [...byProperty].map(([name, rules]) => fieldOf(target, name, rules, secrets.has(name), defaults[name]));
}

function fieldOf(target: Ctor, name: string, rules: ValidationMetadata[], secret: boolean, defaultValue: unknown): ConfigFormField {
  const has = (ruleName: string) => rules.some((r) => r.name === ruleName);
  // IsOptional is a conditional rule named isOptional; a ValidateIf is one without a name.
  const optional = has('isOptional');
  const conditional = !optional && rules.some((r) => r.type === 'conditionalValidation' && r.name !== 'isOptional');
  const field: ConfigFormField = { name, type: 'string', required: has('isDefined') && !optional && !conditional, conditional, secret };
  if (defaultValue !== undefined) {
    field.default = defaultValue;
    field.required = false;
  }
  const hints: string[] = [];
  for (const rule of rules) {
    const [c0] = (rule.constraints ?? []) as unknown[];
    if (rule.type === 'nestedValidation') {
      const type = Reflect.getMetadata('design:type', target.prototype as object, name) as Ctor | undefined;
      if (type && type !== (Object as unknown)) {
        field.type = 'object';
        field.fields = fieldsOf(type, new Set(), {});
      }
      continue;
    }
    switch (rule.name) {
      case 'isBoolean':
        field.type = 'boolean';
        break;
      case 'isInt':
        field.type = 'integer';
        break;
      case 'isIn':
        field.type = 'enum';
        field.enum = (c0 as unknown[]).map(String);
        break;
      case 'isObject':
        if (field.type !== 'object') field.type = 'map';
        break;
      case 'matches':
        field.pattern = (c0 as RegExp).source;
        break;
      case 'maxLength':
        field.maxLength = c0 as number;
        break;
      case 'min':
        field.minimum = c0 as number;
        break;
      case 'max':
        field.maximum = c0 as number;
        break;
      default:
        if (rule.name && HINTS[rule.name]) hints.push(HINTS[rule.name]);
    }
  }
  if (field.type === 'map' && !hints.length) hints.push('a JSON object of names to strings');
  if (hints.length) field.hint = hints.join('; ');
  return field;
}
