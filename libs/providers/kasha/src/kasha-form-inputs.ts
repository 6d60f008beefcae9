import type { PaymentRequestBase } from '@payhub/providers-core';

/** A form input as Kasha describes it in `extraData` / `formInputs`. */
export interface KashaFormInput {
  name: string;
  label?: string;
  type?: string;
  values?: unknown[];
  required?: boolean;
  validations?: { minLength?: number; maxLength?: number; pattern?: string; regex?: string } | null;
}

export interface FormIssue {
  field: string;
  issue: string;
}

/**
 * Kasha input names payhub fills by itself. Kasha publishes no list, so these are the names its
 * examples use plus the usual LatAm ones; anything else comes from the account's `formInputMap`.
 */
const KNOWN_SOURCES: Record<string, string> = {
  name: 'customer.fullName',
  fullname: 'customer.fullName',
  beneficiaryname: 'bank.accountName',
  holder: 'bank.accountName',
  accountname: 'bank.accountName',
  firstname: 'customer.firstName',
  lastname: 'customer.lastName',
  email: 'customer.email',
  phone: 'customer.phone',
  mobile: 'customer.phone',
  document: 'customer.identify.number',
  documentnumber: 'customer.identify.number',
  documentid: 'customer.identify.number',
  cpf: 'customer.identify.number',
  cnpj: 'customer.identify.number',
  dni: 'customer.identify.number',
  rut: 'customer.identify.number',
  curp: 'customer.identify.number',
  rfc: 'customer.identify.number',
  cc: 'customer.identify.number',
  cuit: 'customer.identify.number',
  cuil: 'customer.identify.number',
  documenttype: 'customer.identify.type',
  account: 'bank.accountNumber',
  accountnumber: 'bank.accountNumber',
  bankaccount: 'bank.accountNumber',
  cbu: 'bank.accountNumber',
  cvu: 'bank.accountNumber',
  clabe: 'bank.accountNumber',
  pixkey: 'bank.accountNumber',
  iban: 'bank.iban',
  bank: 'bank.bankCode',
  bankcode: 'bank.bankCode',
  bankname: 'bank.name',
  branch: 'bank.branchCode',
  agency: 'bank.branchCode',
  branchcode: 'bank.branchCode',
  accounttype: 'bank.accountType',
  address: 'customer.address.line1',
  city: 'customer.address.city',
  state: 'customer.address.state',
  zipcode: 'customer.address.postalCode',
  zip: 'customer.address.postalCode',
};

/** The value of a request field named by a `KASHA_FORM_SOURCES` path. */
export function requestValue(req: PaymentRequestBase, source: string): string | undefined {
  if (source === 'customer.fullName') {
    const name = [req.customer?.firstName, req.customer?.lastName].filter(Boolean).join(' ');
    return name || req.bank?.accountName || undefined;
  }
  let value: unknown = req;
  for (const part of source.split('.')) value = value && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Fills Kasha's form inputs from the payment and checks Kasha's own validations before anything is
 * sent, so a beneficiary Kasha would reject never creates a transaction there.
 */
export function fillFormInputs(
  inputs: readonly KashaFormInput[],
  req: PaymentRequestBase,
  map: Record<string, string> = {},
): { values: Record<string, string>; issues: FormIssue[] } {
  const values: Record<string, string> = {};
  const issues: FormIssue[] = [];
  for (const input of inputs) {
    const source = map[input.name] ?? KNOWN_SOURCES[input.name.toLowerCase().replace(/[^a-z]/g, '')];
    const value = source ? requestValue(req, source) : undefined;
    if (value === undefined) {
      if (input.required)
        issues.push({ field: input.name, issue: source ? `is required by Kasha (from ${source})` : 'is required by Kasha and has no mapping (formInputMap)' });
      continue;
    }
    const issue = checkValue(input, value);
    if (issue) issues.push({ field: input.name, issue });
    else values[input.name] = value;
  }
  return { values, issues };
}

export function checkValue(input: KashaFormInput, value: string): string | null {
  const v = input.validations ?? {};
  if (typeof v.minLength === 'number' && value.length < v.minLength) return `must be at least ${v.minLength} characters`;
  if (typeof v.maxLength === 'number' && value.length > v.maxLength) return `must be at most ${v.maxLength} characters`;
  const pattern = v.pattern ?? v.regex;
  if (typeof pattern === 'string') {
    let re: RegExp | null = null;
    try {
      re = new RegExp(pattern);
    } catch {
      re = null;
    }
    if (re && !re.test(value)) return `does not match ${pattern}`;
  }
  const allowed = (input.values ?? []).map((entry) =>
    entry && typeof entry === 'object' ? String((entry as Record<string, unknown>).value ?? (entry as Record<string, unknown>).id ?? '') : String(entry),
  );
  if (allowed.length && !allowed.includes(value)) return `must be one of ${allowed.join(', ')}`;
  return null;
}

/** `formInputs` / `extraData` as an array of inputs, whatever wrapping the answer used. */
export function asFormInputs(value: unknown): KashaFormInput[] {
  if (!Array.isArray(value)) return [];
  return value.filter((i): i is KashaFormInput => !!i && typeof i === 'object' && typeof (i as KashaFormInput).name === 'string');
}
