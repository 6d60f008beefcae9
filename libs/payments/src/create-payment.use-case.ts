import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, DomainError, ErrorCode, ErrorDetail, newId, outboundUrlIssue, toMajorString } from '@payhub/common';
import { isDuplicateKeyError } from '@payhub/database';
import type { AuthenticatedMerchant } from '@payhub/merchants';
import { ProviderConfigService } from '@payhub/provider-config';
import { DepositRequest, ProviderOutcome, ProviderRegistry } from '@payhub/providers-core';
import { cardSummary, checkBrowser, parsePaywayMapping, resolvePayway, RouteDecision, RoutingService } from '@payhub/routing';
import { CARD_TX_TYPES, TransactionEntity, TransactionQueryService, TransactionStateService, TxStatus, TxType } from '@payhub/transactions';
import { ApplyOutcomeService } from './apply-outcome.service';
import type { AnyPaymentRequestDto, DepositRequestDto, WithdrawalRequestDto } from './dto';
import { callProvider } from './provider-call';
import { SubmitPayoutUseCase } from './payouts/submit-payout.use-case';
import { requestBase } from './transaction-view';
import { PayoutAutoApprovalService } from './payouts/payout-auto-approval.service';

export interface Initiator {
  merchant: AuthenticatedMerchant;
  /** Staff id when a back-office user creates the payment on a customer's behalf. */
  staffId?: string;
}

/**
 * Creating a payment: validate what the txType needs, route, insert (one short DB transaction),
 * call the provider once, apply its answer. Nothing else happens in this hot path.
 */
@Injectable()
export class CreatePaymentUseCase {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly routing: RoutingService,
    private readonly providerConfigs: ProviderConfigService,
    private readonly registry: ProviderRegistry,
    private readonly state: TransactionStateService,
    private readonly query: TransactionQueryService,
    private readonly outcomes: ApplyOutcomeService,
    private readonly autoApproval: PayoutAutoApprovalService,
    private readonly submitPayout: SubmitPayoutUseCase,
  ) {}

  async deposit(initiator: Initiator, dto: DepositRequestDto): Promise<TransactionEntity> {
    const { tx, decision, account, configs } = await this.register(initiator, dto, TxStatus.REGISTERED);
    const provider = this.registry.get(decision.target.provider);
    let outcome = await callProvider(() => provider.deposit(this.providerRequest(tx, dto, decision), account));
    let current = tx;

    // Only a target that certainly did not take the payment may hand it to the next one, once.
    const fallback = decision.fallback[0];
    if (outcome.notTaken && fallback) {
      const fallbackAccount = configs.resolve(fallback.provider, fallback.account);
      const reason = `${decision.reason}; ${decision.target.provider}/${decision.target.account} did not take it, fallback to ${fallback.provider}/${fallback.account}`;
      ({ tx: current } = await this.state.transition(
        tx.id,
        TxStatus.REGISTERED,
        { source: 'system', reason, data: { raw: outcome.raw } },
        {
          provider: fallback.provider,
          providerAccount: fallback.account,
          routingReason: reason.slice(0, 1024),
        },
      ));
      const next = this.registry.get(fallback.provider);
      outcome = await callProvider(() =>
        next.deposit(this.providerRequest({ ...tx, provider: fallback.provider }, dto, { ...decision, target: fallback }), fallbackAccount),
      );
    }
    return (await this.outcomes.apply(tx.id, stripNotTaken(outcome), { source: 'api', actor: initiator.merchant.apiKeyId }, current)).tx;
  }

  /** Withdrawals are routed now and wait for approval; submission happens after approval. */
  async withdrawal(initiator: Initiator, dto: WithdrawalRequestDto): Promise<TransactionEntity> {
    if (dto.txType === TxType.CreditcardWithdrawal) return this.cardPayout(initiator, dto);
    const { tx } = await this.register(initiator, dto, TxStatus.WAITING_APPROVAL);
    // Staff-created payouts always wait: auto-approval would sidestep the four-eyes rule.
    return initiator.staffId ? tx : this.autoApproval.apply(tx);
  }

  /**
   * The card exists only in this request (payhub never stores a PAN), so a card payout is sent now or
   * not at all: only one the merchant's auto-approve rule covers, never one that would wait for staff.
   */
  private async cardPayout(initiator: Initiator, dto: WithdrawalRequestDto): Promise<TransactionEntity> {
    const rule = initiator.staffId ? null : await this.autoApproval.ruleFor(initiator.merchant.id, dto.currency, BigInt(dto.amount));
    if (!rule) {
      throw new DomainError(
        ErrorCode.OPERATION_NOT_SUPPORTED,
        "A card payout is sent while the card is in the request, so it must be covered by the merchant's payout auto-approve rule; payhub never stores card numbers for later approval",
        [
          {
            field: 'txType',
            issue: initiator.staffId
              ? 'card payouts cannot wait for staff approval'
              : `no auto-approve rule covers ${toMajorString(dto.amount, dto.currency)} ${dto.currency}`,
          },
        ],
      );
    }
    const { tx } = await this.register(initiator, dto, TxStatus.WAITING_APPROVAL);
    if (await this.autoApproval.approve(tx, rule)) await this.submitPayout.submit(tx.id, dto.card);
    return this.query.get(tx.id);
  }

  private async register(initiator: Initiator, dto: AnyPaymentRequestDto, status: TxStatus) {
    requireBlocks(dto);
    const urlIssue = dto.notificationUrl ? outboundUrlIssue(dto.notificationUrl, this.config.outbound) : null;
    if (urlIssue) throw DomainError.validation([{ field: 'notificationUrl', issue: urlIssue }]);
    const merchantId = initiator.merchant.id;
    const txId = newId('tx');
    const card = dto.card ? cardSummary(dto.card.number) : null;
    const amount = BigInt(dto.amount);
    // One snapshot of the merchant's provider configs serves routing and the adapter call.
    const configs = await this.providerConfigs.loadCached(merchantId);
    const decision = await this.routing.decide(
      merchantId,
      {
        txId,
        txType: dto.txType,
        service: dto.service ?? null,
        amount,
        currency: dto.currency,
        country: dto.country ?? null,
        cardBrand: card?.brand ?? null,
        bin: dto.card ? dto.card.number.slice(0, 8) : null,
      },
      configs,
    );
    checkBrowser(decision.threeDs, dto.txType, dto.browser);
    const account = configs.resolve(decision.target.provider, decision.target.account);
    const payway =
      CARD_TX_TYPES.includes(dto.txType) && account.paywayMapping
        ? resolvePayway(parsePaywayMapping(account.paywayMapping), card?.brand ?? null, dto.currency)
        : null;
    decision.payway = payway;
    const issues = this.registry.get(decision.target.provider).validate?.(this.preview(txId, merchantId, dto, decision), account) ?? [];
    if (issues.length) throw DomainError.validation(issues);

    try {
      const tx = await this.state.create(
        {
          id: txId,
          merchantId,
          merchantTxId: dto.merchantTxId,
          userId: dto.userId,
          txType: dto.txType,
          service: dto.service ?? null,
          status,
          amount,
          currency: dto.currency,
          country: dto.country ?? null,
          provider: decision.target.provider,
          providerAccount: decision.target.account,
          parentId: null,
          routingRuleId: decision.ruleId,
          routingReason: decision.reason.slice(0, 1024),
          cardBrand: card?.brand ?? null,
          cardBin: card?.bin ?? null,
          cardLast4: card?.last4 ?? null,
          cardExpiry: dto.card ? `${dto.card.expiryYear}-${dto.card.expiryMonth}` : null,
          details: storedDetails(dto, payway),
          notificationUrl: dto.notificationUrl ?? null,
          createdBy: initiator.staffId ?? null,
        },
        { source: initiator.staffId ? 'backoffice' : 'api', actor: initiator.staffId ?? initiator.merchant.apiKeyId, reason: decision.reason.slice(0, 512) },
      );
      return { tx, decision, account, configs };
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      const existing = await this.query.findByMerchantTxId(merchantId, dto.merchantTxId);
      throw new DomainError(
        ErrorCode.DUPLICATE_MERCHANT_TX_ID,
        `merchantTxId ${dto.merchantTxId} was already used`,
        [{ field: 'merchantTxId', issue: 'is already used' }],
        { transactionId: existing?.id ?? null },
      );
    }
  }

  /** The request the provider would get, before anything is stored, for its own input checks. */
  private preview(txId: string, merchantId: string, dto: AnyPaymentRequestDto, decision: RouteDecision): DepositRequest {
    const base = {
      id: txId,
      merchantId,
      merchantTxId: dto.merchantTxId,
      userId: dto.userId,
      txType: dto.txType,
      service: dto.service ?? null,
      amount: BigInt(dto.amount),
      currency: dto.currency,
      country: dto.country ?? null,
      provider: decision.target.provider,
    };
    return this.providerRequest(base as TransactionEntity, dto, decision);
  }

  /** The stored transaction plus what only this request carries: card, browser, blocks, routing hints. */
  private providerRequest(tx: TransactionEntity, dto: AnyPaymentRequestDto, decision: RouteDecision): DepositRequest {
    return {
      ...requestBase(tx, this.config.publicUrl),
      card: dto.card,
      customer: dto.customer,
      bank: dto.bank,
      wallet: dto.wallet,
      browser: dto.browser,
      redirectUrls: dto.redirectUrls,
      order: dto.order,
      routing: { payway: decision.payway ?? null, threeDs: decision.threeDs },
    };
  }
}

/** Only the blocks a txType needs are required, and those are. */
function requireBlocks(dto: AnyPaymentRequestDto): void {
  const missing: ErrorDetail[] = [];
  if (CARD_TX_TYPES.includes(dto.txType) && !dto.card) missing.push({ field: 'card', issue: `is required for ${dto.txType}` });
  const service = dto.service?.toUpperCase();
  if ((service === 'UPI' || service === 'WALLET' || dto.txType === TxType.WalletWithdrawal) && !dto.wallet) {
    missing.push({ field: 'wallet', issue: `is required for ${dto.txType}${dto.service ? `/${dto.service}` : ''}` });
  }
  if ((service === 'NET_BANKING' || dto.txType === TxType.BankLocalWithdrawal) && !dto.bank) {
    missing.push({ field: 'bank', issue: `is required for ${dto.txType}${dto.service ? `/${dto.service}` : ''}` });
  }
  if (dto.card && dto.card.expiryYear && dto.card.expiryMonth) {
    const now = new Date();
    const expired =
      Number(dto.card.expiryYear) < now.getUTCFullYear() ||
      (Number(dto.card.expiryYear) === now.getUTCFullYear() && Number(dto.card.expiryMonth) < now.getUTCMonth() + 1);
    if (expired) missing.push({ field: 'card.expiryYear', issue: 'the card has expired' });
  }
  if (missing.length) throw DomainError.validation(missing);
}

/** What is kept of the request: never card number or CVV. */
function storedDetails(dto: AnyPaymentRequestDto, payway: string | null): Record<string, unknown> {
  return {
    customer: dto.customer ?? null,
    wallet: dto.wallet ?? null,
    bank: dto.bank ?? null,
    redirectUrls: dto.redirectUrls ?? null,
    cardHolder: dto.card?.holder ?? null,
    payway,
  };
}

function stripNotTaken(outcome: ProviderOutcome): ProviderOutcome {
  const { notTaken: _ignored, ...rest } = outcome;
  return rest;
}
