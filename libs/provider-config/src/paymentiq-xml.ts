import 'reflect-metadata';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { DomainError, ErrorCode } from '@payhub/common';
import { ProviderConfigDto } from './provider-config.dto';
import type { ProviderConfig, ProviderConfigDescriptor } from './provider-config.types';
import { isPlainObject, validateConfigWith } from './provider-config.validator';
import { ValidationIssues, joinPath } from './validation-issues';

/*
 * PaymentIQ stores configs as XStream XML: one element per field, maps as
 * `<entry><string>key</string><value/></entry>`. The accounts map's value element is `<account>`,
 * `baseUrls` (a payhub addition, Map<String,String>) holds two `<string>` elements per entry.
 */
const ACCOUNT_ELEMENT = 'account';
const MAP_KEY_ELEMENT = 'string';
const MAP_ENTRY_ELEMENT = 'entry';
/** Field order of PaymentIQ's example, then payhub's additions. */
const CONFIG_FIELD_ORDER = ['enabled', 'useViqProxy', 'accounts', 'testMode', 'paywayMapping', 'defaultDescriptor', 'baseUrls', 'timeoutMs'] as const;

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  htmlEntities: true,
  // Every element as an array, so a repeated element is seen instead of silently merged.
  isArray: () => true,
});

const builder = new XMLBuilder({
  format: true,
  indentBy: '  ',
  suppressEmptyNode: false,
  // Text is escaped by `escapeText`, which leaves `>` alone so `VISA->visa` reads as in PaymentIQ.
  processEntities: false,
});

type XmlNode = Record<string, unknown[]>;
type Constructor = abstract new (...args: never[]) => unknown;

/** Parses PaymentIQ XML into a validated config (secrets still clear or masked, as in the XML). */
export function importPaymentIqXml<A extends object>(descriptor: ProviderConfigDescriptor<A>, xml: string): ProviderConfig<A> {
  const issues = new ValidationIssues();
  const input = xmlToConfigInput(descriptor, xml, issues);
  if (input === undefined) throw invalid(issues);
  let config: ProviderConfig<A> | undefined;
  try {
    config = validateConfigWith(descriptor, input);
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== ErrorCode.VALIDATION_FAILED) throw error;
    // An XML-level issue at or below a path is the cause of a validation issue there, so it alone is kept.
    const xmlIssues = issues.details();
    for (const detail of error.details) {
      if (!xmlIssues.some(({ field }) => field === detail.field || field.startsWith(`${detail.field}.`))) {
        issues.add(detail.field, detail.issue);
      }
    }
  }
  if (!config || !issues.empty) throw invalid(issues);
  return config;
}

/** Writes a config as PaymentIQ XML. Pass `maskConfig(...)` output unless clear secrets are intended. */
export function exportPaymentIqXml(descriptor: ProviderConfigDescriptor, config: ProviderConfig<object>): string {
  const root: Record<string, unknown> = {};
  for (const field of CONFIG_FIELD_ORDER) {
    const value = config[field];
    if (value === undefined || value === null) continue;
    if (field === 'accounts') {
      root.accounts = {
        [MAP_ENTRY_ELEMENT]: Object.entries(config.accounts).map(([name, account]) => ({
          [MAP_KEY_ELEMENT]: escapeText(name),
          [ACCOUNT_ELEMENT]: toElements(account as Record<string, unknown>),
        })),
      };
    } else if (field === 'baseUrls') {
      root.baseUrls = {
        [MAP_ENTRY_ELEMENT]: Object.entries(config.baseUrls).map(([name, url]) => ({
          [MAP_KEY_ELEMENT]: [escapeText(name), escapeText(url)],
        })),
      };
    } else {
      root[field] = toText(value);
    }
  }
  return builder.build({ [descriptor.xmlRootElement]: root }) as string;
}

function xmlToConfigInput(descriptor: ProviderConfigDescriptor<object>, xml: string, issues: ValidationIssues): Record<string, unknown> | undefined {
  if (/<!DOCTYPE/i.test(xml)) {
    issues.add('xml', 'DOCTYPE declarations are not allowed');
    return undefined;
  }
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    issues.add('xml', `is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
    return undefined;
  }
  const document = parser.parse(xml) as XmlNode;
  const roots = Object.keys(document);
  if (roots.length !== 1 || roots[0] !== descriptor.xmlRootElement || document[roots[0]].length !== 1) {
    issues.add('xml', `must have the single root element <${descriptor.xmlRootElement}>`);
    return undefined;
  }
  const root = document[descriptor.xmlRootElement][0];
  if (root === '') return {};
  if (!isPlainObject(root)) {
    issues.add('xml', `<${descriptor.xmlRootElement}> must contain elements, not text`);
    return undefined;
  }

  const input: Record<string, unknown> = {};
  for (const [name, values] of Object.entries(root as XmlNode)) {
    if (name === '#text') {
      issues.add('xml', `<${descriptor.xmlRootElement}> holds stray text`);
      continue;
    }
    const value = single(values, name, issues);
    if (value === undefined) continue;
    if (name === 'accounts') input.accounts = readAccounts(descriptor, value, issues);
    else if (name === 'baseUrls') input.baseUrls = readBaseUrls(value, issues);
    else input[name] = convert(value, designType(ProviderConfigDto, name), name, issues);
  }
  return input;
}

function readAccounts(descriptor: ProviderConfigDescriptor<object>, node: unknown, issues: ValidationIssues): unknown {
  const entries = mapEntries(node, 'accounts', issues);
  if (entries === undefined) return {};
  const accounts: Array<[string, unknown]> = [];
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    const at = `accounts.${MAP_ENTRY_ELEMENT}[${index}]`;
    const known = checkEntryChildren(entry, [MAP_KEY_ELEMENT, ACCOUNT_ELEMENT], at, issues);
    if (!known) return;
    const name = single(entry[MAP_KEY_ELEMENT] ?? [], joinPath(at, MAP_KEY_ELEMENT), issues);
    const account = single(entry[ACCOUNT_ELEMENT] ?? [], joinPath(at, ACCOUNT_ELEMENT), issues);
    if (name === undefined || account === undefined) return;
    if (typeof name !== 'string' || name === '') {
      issues.add(joinPath(at, MAP_KEY_ELEMENT), 'must hold the account name as text');
      return;
    }
    if (seen.has(name)) {
      issues.add(`accounts.${name}`, 'appears more than once');
      return;
    }
    seen.add(name);
    accounts.push([name, convert(account, descriptor.accountClass, `accounts.${name}`, issues)]);
  });
  return Object.fromEntries(accounts);
}

function readBaseUrls(node: unknown, issues: ValidationIssues): unknown {
  const entries = mapEntries(node, 'baseUrls', issues);
  if (entries === undefined) return {};
  const urls: Array<[string, unknown]> = [];
  entries.forEach((entry, index) => {
    const at = `baseUrls.${MAP_ENTRY_ELEMENT}[${index}]`;
    if (!checkEntryChildren(entry, [MAP_KEY_ELEMENT], at, issues)) return;
    const pair = entry[MAP_KEY_ELEMENT] ?? [];
    if (pair.length !== 2 || pair.some((text) => typeof text !== 'string')) {
      issues.add(at, 'must hold two <string> elements: the name, then the URL');
      return;
    }
    const [name, url] = pair as [string, string];
    if (urls.some(([seen]) => seen === name)) issues.add(`baseUrls.${name}`, 'appears more than once');
    else urls.push([name, url]);
  });
  return Object.fromEntries(urls);
}

/** The `<entry>` list of an XStream map; an empty map element is an empty list. */
function mapEntries(node: unknown, path: string, issues: ValidationIssues): XmlNode[] | undefined {
  if (node === '') return [];
  if (!isPlainObject(node)) {
    issues.add(path, `must hold <${MAP_ENTRY_ELEMENT}> elements`);
    return undefined;
  }
  let ok = true;
  for (const key of Object.keys(node)) {
    if (key !== MAP_ENTRY_ELEMENT) {
      issues.add(joinPath(path, key === '#text' ? '#text' : key), `unexpected; <${path}> holds only <${MAP_ENTRY_ELEMENT}> elements`);
      ok = false;
    }
  }
  if (!ok) return undefined;
  const entries = (node as XmlNode)[MAP_ENTRY_ELEMENT] ?? [];
  return entries.map((entry) => (isPlainObject(entry) ? (entry as XmlNode) : {}));
}

function checkEntryChildren(entry: XmlNode, allowed: string[], at: string, issues: ValidationIssues): boolean {
  let ok = true;
  for (const key of Object.keys(entry)) {
    if (!allowed.includes(key)) {
      issues.add(joinPath(at, key), 'unexpected element in a map entry');
      ok = false;
    }
  }
  for (const key of allowed) {
    if (!entry[key]) {
      issues.add(joinPath(at, key), 'is required');
      ok = false;
    }
  }
  return ok;
}

/**
 * Turns element text into the JSON type the schema declares (read from the decorated property's
 * design type). Text that does not convert is passed on as is, so validation reports it by path;
 * unknown elements are passed on too and rejected by validation as unknown fields.
 */
function convert(value: unknown, type: unknown, path: string, issues: ValidationIssues): unknown {
  if (type === Boolean) return value === 'true' ? true : value === 'false' ? false : plain(value);
  if (type === Number) return typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : plain(value);
  if (typeof type === 'function' && type !== String && type !== Object) {
    if (value === '') return {};
    if (!isPlainObject(value)) return value;
    const object: Record<string, unknown> = {};
    for (const [name, values] of Object.entries(value as XmlNode)) {
      const at = joinPath(path, name);
      if (name === '#text') {
        issues.add(path, 'holds stray text next to its elements');
        continue;
      }
      const child = single(values, at, issues);
      if (child !== undefined) object[name] = convert(child, designType(type as Constructor, name), at, issues);
    }
    return object;
  }
  return plain(value);
}

function designType(target: Constructor, property: string): unknown {
  return Reflect.getMetadata('design:type', target.prototype as object, property);
}

/** Unwraps the parser's one-element arrays of an element the schema does not know. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 1 ? plain(value[0]) : value.map(plain);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, plain(child)]));
  return value;
}

function single(values: unknown[], path: string, issues: ValidationIssues): unknown {
  if (values.length > 1) {
    issues.add(path, 'appears more than once');
    return undefined;
  }
  return values[0];
}

function toElements(object: Record<string, unknown>): Record<string, unknown> {
  const elements: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined || value === null) continue;
    elements[key] = isPlainObject(value) ? toElements(value) : toText(value);
  }
  return elements;
}

function toText(value: unknown): string {
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  throw new TypeError(`Cannot write ${typeof value} as PaymentIQ XML text`);
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/]]>/g, ']]&gt;');
}

function invalid(issues: ValidationIssues): DomainError {
  return DomainError.validation(issues.details(), 'The PaymentIQ XML config is invalid');
}
