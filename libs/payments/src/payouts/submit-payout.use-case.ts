import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@payhub/common';
import { ProviderConfigService } from '@payhub/provider-config';
import { BankInfo, CardInput, CustomerInfo, ProviderOutcome, ProviderRegistry, WithdrawalRequest } from '@payhub/providers-core';
import { FailureCode, isFinal, TransactionEntity, TransactionStateService, TxStatus, WITHDRAWAL_TX_TYPES } from '@payhub/transactions';
import { ApplyOutcomeService } from '../apply-outcome.service';
import { callProvider } from '../provider-call';
import { requestBase, toTransactionView } from '../transaction-view';
import { inTransaction } from '@payhub/database';

export type SubmitPayoutResult = 'submitted' | 'skipped' | 'unknown_previous_attempt';

const SUBMISSION_KEY = 'payoutSubmission';

/**
 * Sends an approved withdrawal (REGISTERED) to its provider, at most once. Before the call the
 * attempt is written on the transaction under its row lock; a job that finds that mark without an
 * outcome (the worker died mid-call, or Bull re-ran a stalled job) does not call again: the payout
 * may have gone out, so it becomes INCONSISTENT and a status check or staff settle it.
 *
 * Provider contract: `withdraw()` creates the payout. A provider with its own confirmation step
 * (`approvePayout`, Kasha's settle-payout APPROVE) holds it until confirmed; payhub's approval is that
 * confirmation, so `approvePayout()` follows at once when `withdraw()` left the payout open with a
 * providerTxId. A payout registered at the provider before approval (providerTxId already set) is
 * only confirmed.
 */
@Injectable()
export class SubmitPayoutUseCase {
  private readonly logger = new Logger(SubmitPayoutUseCase.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ProviderRegistry,
    private readonly providerConfigs: ProviderConfigService,
    private readonly state: TransactionStateService,
    private readonly outcomes: ApplyOutcomeService,
  ) {}

  /** `card`: only for a card payout sent in the request that carries the card (payhub keeps no PAN). */
  async submit(txId: string, card?: CardInput): Promise<SubmitPayoutResult> {
    const ctx = { source: 'system' as const, actor: 'payouts' };
    // Resolved before the claim: a missing config or provider fails the job (retried) with nothing sent.
    const snapshot = await this.dataSource.getRepository(TransactionEntity).findOneByOrFail({ id: txId });
    if (!WITHDRAWAL_TX_TYPES.includes(snapshot.txType) || !snapshot.provider || !snapshot.providerAccount) return 'skipped';
    const provider = this.registry.get(snapshot.provider);
    const account = await this.providerConfigs.resolveAccount(snapshot.merchantId, snapshot.provider, snapshot.providerAccount);

    const claim = await inTransaction(this.dataSource, async (manager) => {
      const tx = await this.state.lock(manager, txId);
      if (tx.status !== TxStatus.REGISTERED) return { kind: 'skipped' as const, tx };
      if (tx.providerData?.[SUBMISSION_KEY]) return { kind: 'unknown' as const, tx };
      const providerData = { ...(tx.providerData ?? {}), [SUBMISSION_KEY]: { startedAt: new Date().toISOString() } };
      const { tx: claimed } = await this.state.transition(
        txId,
        TxStatus.REGISTERED,
        { ...ctx, reason: 'payout submission started' },
        { providerData },
        manager,
      );
      return { kind: 'claimed' as const, tx: claimed };
    });
    if (claim.kind === 'skipped') return 'skipped';
    if (claim.kind === 'unknown') {
      this.logger.warn({ txId }, 'an earlier payout submission did not finish; not sending again');
      await this.outcomes.apply(
        txId,
        {
          status: TxStatus.INCONSISTENT,
          failure: { code: FailureCode.PROVIDER_ERROR, reason: 'An earlier submission did not finish; the provider is asked, the payout is not sent again' },
          raw: { resubmission: 'refused' },
        },
        { ...ctx, reason: 'earlier submission attempt unfinished' },
      );
      return 'unknown_previous_attempt';
    }

    const tx = claim.tx;
    let outcome: ProviderOutcome;
    if (tx.providerTxId && provider.approvePayout) {
      const approvePayout = provider.approvePayout.bind(provider);
      outcome = await callProvider(() => approvePayout({ tx: toTransactionView(tx) }, account));
    } else {
      outcome = await callProvider(() => provider.withdraw({ ...this.request(tx), card }, account));
      if (provider.approvePayout && outcome.providerTxId && !isFinal(outcome.status) && outcome.status !== TxStatus.INCONSISTENT) {
        const { tx: registered } = await this.outcomes.apply(txId, outcome, { ...ctx, reason: 'payout registered at the provider' });
        const approvePayout = provider.approvePayout.bind(provider);
        outcome = await callProvider(() => approvePayout({ tx: toTransactionView(registered) }, account));
      }
    }
    await this.outcomes.apply(txId, outcome, ctx);
    return 'submitted';
  }

  private request(tx: TransactionEntity): WithdrawalRequest {
    const details = tx.details ?? {};
    return {
      ...requestBase(tx, this.config.publicUrl),
      customer: (details.customer as CustomerInfo | null) ?? undefined,
      bank: (details.bank as BankInfo | null) ?? undefined,
      wallet: (details.wallet as { account: string } | null) ?? undefined,
      routing: { payway: (details.payway as string | null) ?? null, threeDs: { enabled: false, mode: 'off' } },
    };
  }
}
