import { toMajorString } from '@payhub/common';
import type { DepositRequest, PaymentRequestBase } from '@payhub/providers-core';
import { KASHA_DEFAULT_OPTION_NAMES } from './kasha-account.schema';
import { str } from './kasha-answers';
import { fillFormInputs, FormIssue, KashaFormInput } from './kasha-form-inputs';
import type { KashaSettings, OptionKind } from './kasha-settings';

type Json = Record<string, unknown>;

/** Request builders of Kasha's flows: the option and bank chosen, the card's inputs, the amount as a decimal. */
export interface Suboption {
  id: string;
  name: string;
  formInputs: KashaFormInput[];
}

export const AMOUNT_PLACEHOLDER = '\u0000amount\u0000';

/**
 * Kasha takes the amount as a JSON number with up to two (crypto: eight) decimals. The decimal
 * string from `toMajorString` is spliced in as is, so no float ever holds the amount.
 */
export function withAmount(body: Json, req: PaymentRequestBase): string {
  return JSON.stringify(body).replace(JSON.stringify(AMOUNT_PLACEHOLDER), toMajorString(req.amount, req.currency));
}

export function pickOption(options: Json[], kind: OptionKind, settings: KashaSettings): Json | undefined {
  const wanted = (settings.optionNames?.[kind] ?? KASHA_DEFAULT_OPTION_NAMES[kind]).toLowerCase();
  return options.find((o) => str(o.name)?.toLowerCase().includes(wanted));
}

/** The bank the request names (by Kasha option id, bank code or name), or the only one offered. */
export function chooseSuboption(options: Suboption[], req: PaymentRequestBase): string | null {
  const wanted = [req.bank?.bankCode, req.bank?.name].filter((v): v is string => !!v).map((v) => v.toLowerCase());
  const match = options.find((o) => wanted.includes(o.id.toLowerCase()) || wanted.includes(o.name.toLowerCase()));
  if (match) return match.id;
  return options.length === 1 ? options[0].id : null;
}

/** Kasha's documented card inputs; the option may ask for more, filled like any form input. */
export function cardData(req: DepositRequest, inputs: KashaFormInput[], settings: KashaSettings): { values: Record<string, string> } | { issues: FormIssue[] } {
  const card = req.card;
  if (!card) return { issues: [{ field: 'card', issue: 'is required for a direct Kasha card payment' }] };
  const holder = card.holder ?? [req.customer?.firstName, req.customer?.lastName].filter(Boolean).join(' ');
  const values: Record<string, string> = { cardnum: card.number, expiryyear: card.expiryYear, expirymonth: card.expiryMonth };
  if (card.cvv) values.cardcvv = card.cvv;
  if (holder) values.cardholder = holder;
  const others = inputs.filter((i) => !(i.name in values) && !['cardnum', 'expiryyear', 'expirymonth', 'cardcvv', 'cardholder'].includes(i.name));
  const filled = fillFormInputs(others, req, settings.formInputMap);
  const missing = inputs
    .filter((i) => i.required && ['cardcvv', 'cardholder'].includes(i.name) && !values[i.name])
    .map((i) => ({ field: i.name === 'cardcvv' ? 'card.cvv' : 'card.holder', issue: 'is required by Kasha' }));
  const issues = [...missing, ...filled.issues];
  return issues.length ? { issues } : { values: { ...values, ...filled.values } };
}

export function compact(object: Record<string, unknown>): Json {
  return Object.fromEntries(
    Object.entries(object).filter(
      ([, v]) => v !== undefined && v !== null && v !== '' && !(typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0),
    ),
  );
}
