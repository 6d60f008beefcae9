import { ValidateBy, ValidationOptions, buildMessage } from 'class-validator';
import { isSupportedCurrency } from '@payhub/common';

/** PaymentIQ's currency list form: `UAH|KZT|EUR`, each a currency from the payhub table, no repeats. */
export function isCurrencyList(value: unknown): value is string {
  if (typeof value !== 'string' || value === '') return false;
  const codes = value.split('|');
  return codes.every((code) => isSupportedCurrency(code)) && new Set(codes).size === codes.length;
}

export function parseCurrencyList(value: string | undefined): string[] {
  return value ? value.split('|') : [];
}

export function IsCurrencyList(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCurrencyList',
      validator: {
        validate: isCurrencyList,
        defaultMessage: buildMessage((each) => `${each}$property must be known currency codes separated by "|" without repeats, e.g. UAH|KZT|EUR`, options),
      },
    },
    options,
  );
}

/**
 * A path joined onto a configured base URL. A leading `//` would make it protocol-relative and
 * move the request to another host, so it is refused; `{name}` placeholders are allowed.
 */
const API_PATH = /^\/(?!\/)[A-Za-z0-9\-._~{}/%]*$/;

export function isApiPath(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 200 && API_PATH.test(value);
}

export function IsApiPath(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isApiPath',
      validator: {
        validate: isApiPath,
        defaultMessage: buildMessage((each) => `${each}$property must be a path starting with a single "/"`, options),
      },
    },
    options,
  );
}

/** An absolute http(s) URL without credentials: provider base URLs, the sandbox's included. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

/** `BRAND->payway` pairs separated by commas; `BRAND_CUR->payway` keys are the currency-specific form. */
const PAYWAY_MAPPING = /^\s*[A-Za-z0-9_]+->[A-Za-z0-9_.-]+\s*(,\s*[A-Za-z0-9_]+->[A-Za-z0-9_.-]+\s*)*$/;

export function isPaywayMapping(value: unknown): value is string {
  return typeof value === 'string' && PAYWAY_MAPPING.test(value);
}

export function IsPaywayMapping(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPaywayMapping',
      validator: {
        validate: isPaywayMapping,
        defaultMessage: buildMessage((each) => `${each}$property must be BRAND->payway pairs separated by commas, e.g. VISA->visa,VISA_UAH->visa_uah`, options),
      },
    },
    options,
  );
}

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

export function IsHeaderName(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isHeaderName',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && HEADER_NAME.test(value),
        defaultMessage: buildMessage((each) => `${each}$property must be an HTTP header name`, options),
      },
    },
    options,
  );
}
