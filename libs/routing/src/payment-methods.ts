import type { ThreeDsDecision, ThreeDsMode } from '@payhub/providers-core';
import { CARD_TX_TYPES, DEPOSIT_TX_TYPES, Direction, GENERIC_SERVICES, TxType, WITHDRAWAL_TX_TYPES } from '@payhub/transactions';
import { CARD_BRANDS, CardBrand, detectCardBrand } from './card-brand';
import { evaluateRule, orderRules } from './rule-matcher';
import type { RoutingPayment, RoutingRule, RuleConditions, TargetRef } from './routing.types';
import { isThreeDsActive, requiredBrowserFields } from './three-ds-routing';

export interface PaymentMethodQuery {
  direction: Direction;
  currency: string;
  country: string | null;
  /** null: list regardless of amount, with the limits of every rule that could route the method. */
  amount: bigint | null;
}

/** One way of paying, before any card or wallet is known. */
export interface MethodCandidate {
  txType: TxType;
  service: string | null;
  cardBrand: CardBrand | null;
}

export interface InputField {
  field: string;
  required: boolean;
}

export interface PaymentMethod {
  txType: TxType;
  service: string | null;
  name: string;
  /** Card methods only: the brands routing accepts. */
  cardBrands?: CardBrand[];
  inputFields: InputField[];
  /** Minor units; null means no bound. */
  limits: { currency: string; minAmount: number | null; maxAmount: number | null };
  threeDs: { required: boolean; mode: ThreeDsMode };
  /** From a provider that lists its live methods (e.g. Paykassma): a logo and hints such as a manual method. */
  logo?: string | null;
  hints?: Record<string, unknown>;
}

export interface PaymentMethodChecks {
  /** Provider capability, config enabled, account currency and (for a card brand) the payway mapping. */
  targetAvailable(target: TargetRef, candidate: MethodCandidate): boolean;
  threeDsFor(target: TargetRef): ThreeDsDecision;
  /** Given the targets that would route the method: the method as shown, or null when it is not offered now. */
  enrich?(method: PaymentMethod, targets: TargetRef[]): PaymentMethod | null;
}

const SERVICE_NAMES: Record<string, string> = { UPI: 'UPI', WALLET: 'Wallet', NET_BANKING: 'Net banking' };
const PLAIN_NAMES: Partial<Record<TxType, string>> = {
  [TxType.CreditcardDeposit]: 'Card',
  [TxType.BankDeposit]: 'Bank transfer',
  [TxType.CreditcardWithdrawal]: 'Card payout',
  [TxType.WalletWithdrawal]: 'Wallet payout',
  [TxType.BankLocalWithdrawal]: 'Bank payout',
};

/**
 * The (txType, service) pairs worth asking routing about: every type's plain method (WalletDeposit has
 * none: a wallet deposit always names its wallet), the generic services on the types they refine, and
 * every service an enabled rule names, on the rule's txTypes or, when it names none, on the wallet
 * types (NET_BANKING: the bank types), since a provider wallet type refines a wallet payment.
 */
export function methodCandidates(rules: readonly RoutingRule[], direction: Direction): Array<{ txType: TxType; service: string | null }> {
  const types = direction === 'DEPOSIT' ? DEPOSIT_TX_TYPES : WITHDRAWAL_TX_TYPES;
  const walletTypes = types.filter((t) => t === TxType.WalletDeposit || t === TxType.WalletWithdrawal);
  const bankTypes = types.filter((t) => t === TxType.BankDeposit || t === TxType.BankLocalWithdrawal);
  const found = new Map<string, { txType: TxType; service: string | null }>();
  const add = (txType: TxType, service: string | null) => {
    const canonical = service !== null && isGenericService(service) ? service.toUpperCase() : service;
    const key = `${txType}:${canonical?.toLowerCase() ?? ''}`;
    if (!found.has(key)) found.set(key, { txType, service: canonical });
  };
  for (const txType of types) if (txType !== TxType.WalletDeposit) add(txType, null);
  for (const txType of walletTypes) ['UPI', 'WALLET'].forEach((s) => add(txType, s));
  for (const txType of bankTypes.filter((t) => t === TxType.BankDeposit)) add(txType, 'NET_BANKING');
  for (const rule of rules) {
    if (!rule.enabled || !rule.when.services?.length) continue;
    const named = rule.when.txTypes?.length ? types.filter((t) => rule.when.txTypes!.includes(t)) : null;
    for (const service of rule.when.services) {
      const on = named ?? (service.toUpperCase() === 'NET_BANKING' ? bankTypes : walletTypes);
      on.forEach((txType) => add(txType, service));
    }
  }
  // Grouped by txType in the API's order; within a type, plain first, then generic, then rule-named services.
  return [...found.values()].sort((x, y) => types.indexOf(x.txType) - types.indexOf(y.txType));
}

interface Contribution {
  rule: RoutingRule;
  /** The targets a payment of this method would be sent to first. */
  targets: TargetRef[];
}

/**
 * Walks the rules exactly as routing does, with two unknowns of a real payment left open: the BIN (a
 * rule naming BIN prefixes may route some cards of the brand, so later rules stay reachable for the
 * others) and, when no amount is asked about, the amount (likewise for rules with bounds).
 */
function contributions(rules: readonly RoutingRule[], query: PaymentMethodQuery, candidate: MethodCandidate, checks: PaymentMethodChecks): Contribution[] {
  const payment: RoutingPayment = {
    txId: 'payment-methods',
    txType: candidate.txType,
    service: candidate.service,
    amount: query.amount ?? 0n,
    currency: query.currency,
    country: query.country,
    cardBrand: candidate.cardBrand,
    bin: null,
  };
  const found: Contribution[] = [];
  for (const rule of orderRules(rules)) {
    if (!rule.enabled) continue;
    const when: RuleConditions = { ...rule.when, binPrefixes: undefined };
    const amountOpen = query.amount === null && (rule.when.amountMin != null || rule.when.amountMax != null);
    if (query.amount === null) Object.assign(when, { amountMin: undefined, amountMax: undefined });
    if (!evaluateRule(when, payment).matched) continue;
    if (!binsMayBe(rule.when.binPrefixes, candidate.cardBrand)) continue;
    const available = (refs: readonly TargetRef[]) => refs.filter((t) => checks.targetAvailable({ provider: t.provider, account: t.account }, candidate));
    const targets = available(rule.then.targets);
    const fallback = available(rule.then.fallback ?? []);
    const first = targets.length > 0 ? targets : fallback.slice(0, 1);
    if (first.length > 0) found.push({ rule, targets: first.map((t) => ({ provider: t.provider, account: t.account })) });
    // A rule that surely matches ends the walk: routing never looks past it, even when it has no target.
    const binOpen = (rule.when.binPrefixes?.length ?? 0) > 0;
    if (!binOpen && !amountOpen) break;
  }
  return found;
}

/** What a merchant can offer for the query now, in a stable order; no provider is named. */
export function listPaymentMethods(rules: readonly RoutingRule[], query: PaymentMethodQuery, checks: PaymentMethodChecks): PaymentMethod[] {
  const methods: PaymentMethod[] = [];
  for (const { txType, service } of methodCandidates(rules, query.direction)) {
    const isCard = CARD_TX_TYPES.includes(txType);
    const brands: Array<CardBrand | null> = isCard ? [...CARD_BRANDS] : [null];
    const accepted: CardBrand[] = [];
    const found: Contribution[] = [];
    for (const cardBrand of brands) {
      const c = contributions(rules, query, { txType, service, cardBrand }, checks);
      if (c.length === 0) continue;
      if (cardBrand !== null) accepted.push(cardBrand);
      found.push(...c);
    }
    if (found.length === 0) continue;

    const decisions = isCard && query.direction === 'DEPOSIT' ? found.flatMap((c) => c.targets.map((t) => checks.threeDsFor(t))) : [];
    const active = decisions.filter(isThreeDsActive);
    const method: PaymentMethod = {
      txType,
      service,
      name: methodName(txType, service),
      ...(isCard ? { cardBrands: accepted } : {}),
      inputFields: [
        ...blockFields(query.direction, txType, service),
        ...(active.length > 0 ? requiredBrowserFields(active[0]).map((f) => ({ field: `browser.${f}`, required: true })) : []),
      ],
      limits: limitsOf(
        found.map((c) => c.rule),
        query.currency,
      ),
      // Several targets may disagree; the strictest mode is what the merchant has to be ready for.
      threeDs: active.length > 0 ? { required: true, mode: strictest(active.map((d) => d.mode)) } : { required: false, mode: 'off' },
    };
    const shown = checks.enrich
      ? checks.enrich(
          method,
          found.flatMap((c) => c.targets),
        )
      : method;
    if (shown) methods.push(shown);
  }
  return methods;
}

/** A prefix too short to tell its brand may belong to any brand; otherwise it must be the candidate's. */
function binsMayBe(prefixes: readonly string[] | undefined, brand: CardBrand | null): boolean {
  if (!prefixes?.length || brand === null) return true;
  return prefixes.some((prefix) => {
    const detected = detectCardBrand(prefix);
    return detected === null || detected === brand;
  });
}

function isGenericService(service: string): boolean {
  return (GENERIC_SERVICES as readonly string[]).includes(service.toUpperCase());
}

function methodName(txType: TxType, service: string | null): string {
  if (service === null) return PLAIN_NAMES[txType] ?? txType;
  return SERVICE_NAMES[service.toUpperCase()] ?? service;
}

/** What payhub's payment API itself refuses a payment without (CardDto, WalletDto); providers add theirs. */
export function apiRequiredFields(txType: TxType, service: string | null): InputField[] {
  const upper = service?.toUpperCase() ?? null;
  if (CARD_TX_TYPES.includes(txType)) return ['card.number', 'card.expiryMonth', 'card.expiryYear'].map((field) => ({ field, required: true }));
  if (upper === 'UPI' || upper === 'WALLET' || txType === TxType.WalletWithdrawal) return [{ field: 'wallet.account', required: true }];
  return [];
}

/** The generic fields of a txType, for providers that do not state their own. */
function blockFields(direction: Direction, txType: TxType, service: string | null): InputField[] {
  const upper = service?.toUpperCase() ?? null;
  if (CARD_TX_TYPES.includes(txType)) {
    return [
      { field: 'card.number', required: true },
      { field: 'card.expiryMonth', required: true },
      { field: 'card.expiryYear', required: true },
      { field: 'card.cvv', required: false },
      { field: 'card.holder', required: false },
    ];
  }
  if (upper === 'UPI' || upper === 'WALLET' || txType === TxType.WalletWithdrawal) return [{ field: 'wallet.account', required: true }];
  if (txType === TxType.BankLocalWithdrawal) {
    return [
      { field: 'bank.name', required: true },
      { field: 'bank.accountNumber', required: true },
      { field: 'bank.clearingNumber', required: true },
      { field: 'bank.accountName', required: false },
    ];
  }
  if (upper === 'NET_BANKING' && direction === 'DEPOSIT') return [{ field: 'bank.name', required: true }];
  return [];
}

/** The widest range over the rules that can route the method: a bound holds only if every rule sets one. */
function limitsOf(rules: readonly RoutingRule[], currency: string): PaymentMethod['limits'] {
  const mins = rules.map((r) => r.when.amountMin ?? null);
  const maxes = rules.map((r) => r.when.amountMax ?? null);
  return {
    currency,
    minAmount: mins.includes(null) ? null : Math.min(...(mins as number[])),
    maxAmount: maxes.includes(null) ? null : Math.max(...(maxes as number[])),
  };
}

const STRICTNESS: readonly ThreeDsMode[] = ['off', 'only_3ds', 'required_3ds_v1', 'required_3ds_v2'];

function strictest(modes: readonly ThreeDsMode[]): ThreeDsMode {
  return modes.reduce((a, b) => (STRICTNESS.indexOf(b) > STRICTNESS.indexOf(a) ? b : a), 'off' as ThreeDsMode);
}
