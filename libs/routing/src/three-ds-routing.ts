import { isIP } from 'node:net';
import { DomainError, ErrorDetail } from '@payhub/common';
import type { BrowserInfo, ThreeDsDecision } from '@payhub/providers-core';
import { CARD_TX_TYPES, directionOf, TxType } from '@payhub/transactions';
import type { ThreeDsSetting } from './three-ds-setting.dto';

/*
 * What each mode asks of the adapter:
 * - off: no 3DS routing; send no browser data, the account's own settings (e.g. Interkassa use3Dsecure) apply.
 * - only_3ds: the payment must go through 3-D Secure in whatever version the provider negotiates.
 * - required_3ds_v1: 3-D Secure is required and the adapter asks for the 1.0 (redirect to ACS) flow.
 * - required_3ds_v2: EMV 3-D Secure 2 is required; the adapter sends the browser fingerprint for the ACS risk check.
 * In every mode but off the adapter forwards the browser block, which checkBrowser guarantees is complete.
 */

export const THREE_DS_OFF: ThreeDsDecision = { enabled: false, mode: 'off' };

/**
 * The account override replaces the merchant setting whole when present. The decision is normalised:
 * `enabled: false` always comes with mode 'off' and mode 'off' always with `enabled: false`, so an
 * adapter needs to look at one field only.
 */
export function resolveThreeDs(merchantSetting: ThreeDsSetting | null | undefined, accountOverride?: ThreeDsSetting | null): ThreeDsDecision {
  const setting = accountOverride ?? merchantSetting;
  if (!setting || !setting.enabled || setting.mode === 'off') return { ...THREE_DS_OFF };
  return { enabled: true, mode: setting.mode };
}

export function isThreeDsActive(decision: ThreeDsDecision): boolean {
  return decision.enabled && decision.mode !== 'off';
}

type BrowserField = keyof BrowserInfo;
type FieldKind = 'text' | 'integer' | 'boolean' | 'ip';

/** Every field EMV 3DS 2 needs from the customer's browser, in the order errors list them. */
const BROWSER_FIELDS: ReadonlyArray<readonly [BrowserField, FieldKind]> = [
  ['acceptHeader', 'text'],
  ['userAgent', 'text'],
  ['language', 'text'],
  ['colorDepth', 'integer'],
  ['screenHeight', 'integer'],
  ['screenWidth', 'integer'],
  ['timeZoneOffset', 'integer'],
  ['javaEnabled', 'boolean'],
  ['javaScriptEnabled', 'boolean'],
  ['ip', 'ip'],
];

export function requiredBrowserFields(decision: ThreeDsDecision): BrowserField[] {
  return isThreeDsActive(decision) ? BROWSER_FIELDS.map(([field]) => field) : [];
}

function fieldIssue(value: unknown, kind: FieldKind): string | null {
  if (value === undefined || value === null || value === '') return 'is required for 3-D Secure';
  switch (kind) {
    case 'text':
      return typeof value === 'string' && value.trim() !== '' ? null : 'must be a non-empty string';
    case 'integer':
      return Number.isInteger(value) ? null : 'must be an integer';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'ip':
      return typeof value === 'string' && isIP(value) !== 0 ? null : 'must be an IPv4 or IPv6 address';
  }
}

/**
 * Card deposits routed with 3DS must carry a complete browser block; every missing or malformed field is
 * listed at once. Other tx types, and 3DS off, pass whatever the browser block holds.
 */
export function checkBrowser(decision: ThreeDsDecision, txType: TxType, browser: BrowserInfo | null | undefined): void {
  const cardDeposit = CARD_TX_TYPES.includes(txType) && directionOf(txType) === 'DEPOSIT';
  if (!cardDeposit || !isThreeDsActive(decision)) return;
  if (browser === undefined || browser === null || typeof browser !== 'object') {
    // Name every field the merchant has to collect, not just the block, so one round trip fixes the integration.
    throw DomainError.validation(
      [
        { field: 'browser', issue: `is required when 3-D Secure routing is on (mode ${decision.mode})` },
        ...BROWSER_FIELDS.map(([field]) => ({ field: `browser.${field}`, issue: 'is required' })),
      ],
      'The browser block is required for 3-D Secure',
    );
  }
  const problems: ErrorDetail[] = [];
  for (const [field, kind] of BROWSER_FIELDS) {
    const issue = fieldIssue((browser as Record<string, unknown>)[field], kind);
    if (issue !== null) problems.push({ field: `browser.${field}`, issue });
  }
  if (problems.length > 0) throw DomainError.validation(problems, 'The browser block is incomplete for 3-D Secure');
}
