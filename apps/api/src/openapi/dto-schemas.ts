import { getMetadataStorage } from 'class-validator';

/** class-validator's rule record, named through its public API (its own type file is not an export). */
type ValidationMetadata = ReturnType<ReturnType<typeof getMetadataStorage>['getTargetValidationMetadatas']>[number];
// class-transformer keeps @Type() targets here; its package ships the types beside the CommonJS build.
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import type { Schema } from './response-schemas';

type Ctor = new (...args: never[]) => unknown;

/**
 * JSON Schema of a DTO, read from the class-validator rules that actually validate it (so the document
 * cannot drift from what the API accepts). Nested DTOs become `$ref`s, registered through `register`.
 */
export function dtoSchema(target: Ctor, register: (nested: Ctor) => string): Schema {
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of getMetadataStorage().getTargetValidationMetadatas(target, '', true, false)) {
    byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
  }
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const [property, rules] of byProperty) {
    properties[property] = propertySchema(target, property, rules, register);
    if (!rules.some((r) => r.type === 'conditionalValidation')) required.push(property);
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false };
}

/** The query parameters of a query DTO (every value arrives as a string). */
export function queryParameters(target: Ctor): Array<Record<string, unknown>> {
  const schema = dtoSchema(target, () => 'object');
  const required = new Set((schema.required as string[] | undefined) ?? []);
  return Object.entries(schema.properties as Record<string, Schema>).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: property,
  }));
}

function propertySchema(target: Ctor, property: string, rules: ValidationMetadata[], register: (nested: Ctor) => string): Schema {
  const item: Schema = {};
  let isArray = false;
  const notes: string[] = [];
  for (const rule of rules) {
    if (rule.each) isArray = true;
    const [c0, c1] = (rule.constraints ?? []) as unknown[];
    switch (rule.type === 'nestedValidation' ? 'nested' : rule.name) {
      case 'nested': {
        const type = defaultMetadataStorage.findTypeMetadata(target, property)?.typeFunction() as Ctor | undefined;
        if (type) item.$ref = `#/components/schemas/${register(type)}`;
        else item.type = 'object';
        if (rule.each) isArray = true;
        break;
      }
      case 'isString':
        item.type = 'string';
        break;
      case 'isInt':
        item.type = 'integer';
        break;
      case 'isNumber':
        item.type = 'number';
        break;
      case 'isBoolean':
        item.type = 'boolean';
        break;
      case 'isObject':
        // A nested DTO's `$ref` already says it is an object.
        if (!item.$ref && !rules.some((r) => r.type === 'nestedValidation')) item.type = 'object';
        break;
      case 'isArray':
        isArray = true;
        break;
      case 'isIn':
        item.enum = c0 as unknown[];
        break;
      case 'isEnum':
        item.enum = [...new Set(Object.values(c0 as object))];
        break;
      case 'matches':
        item.type ??= 'string';
        item.pattern = (c0 as RegExp).source;
        break;
      case 'isEmail':
        item.type = 'string';
        item.format = 'email';
        break;
      case 'isUrl':
        item.type = 'string';
        item.format = 'uri';
        break;
      case 'isIP':
      case 'isIp':
        item.type = 'string';
        notes.push('an IP address');
        break;
      case 'isISO8601':
      case 'isIso8601':
        item.type = 'string';
        item.format = 'date-time';
        break;
      case 'isNotEmpty':
        item.minLength ??= 1;
        break;
      case 'maxLength':
        item.maxLength = c0;
        break;
      case 'minLength':
        item.minLength = c0;
        break;
      case 'length':
      case 'isLength':
        item.minLength = c0;
        if (c1 !== undefined) item.maxLength = c1;
        break;
      case 'min':
        item.minimum = c0;
        break;
      case 'max':
        item.maximum = c0;
        break;
      case 'arrayMinSize':
        isArray = true;
        Object.assign(item, { 'x-minItems': c0 });
        break;
      case 'arrayMaxSize':
        isArray = true;
        Object.assign(item, { 'x-maxItems': c0 });
        break;
      case 'arrayUnique':
        isArray = true;
        Object.assign(item, { 'x-uniqueItems': true });
        break;
      case 'isMinorAmount':
        item.type = 'integer';
        item.minimum = 1;
        notes.push('minor units (1000 = 10.00 EUR); at most 100 million units of the currency (1 trillion for high-denomination currencies)');
        break;
      case 'isCurrencyCode':
        item.type = 'string';
        item.pattern = '^[A-Z]{3,4}$';
        notes.push('ISO 4217 code, upper-case (crypto: BTC, ETH, USDT, …)');
        break;
      case 'isCardNumber':
        item.type = 'string';
        item.pattern = '^\\d{12,19}$';
        notes.push('Luhn-checked; never stored');
        break;
      case 'notLessThan':
        notes.push(`at least ${String(c0)}`);
        break;
      case undefined:
      case 'isOptional':
      case 'isDefined':
        break;
      default:
        notes.push(`checked: ${rule.name}`);
    }
  }
  if (item.enum && !item.type) item.type = typeof (item.enum as unknown[])[0] === 'number' ? 'integer' : 'string';
  if (notes.length) item.description = notes.join('; ');
  if (!isArray) return item;
  // Array-level limits were collected on the item under x- keys; move them to the array.
  const array: Schema = { type: 'array', items: {} as Schema };
  for (const [key, value] of Object.entries(item)) {
    if (key.startsWith('x-')) array[key.slice(2)] = value;
    else (array.items as Schema)[key] = value;
  }
  return array;
}
