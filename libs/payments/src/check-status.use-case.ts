import { Injectable } from '@nestjs/common';
import { ProviderConfigService } from '@payhub/provider-config';
import { ProviderRegistry } from '@payhub/providers-core';
import { ChangeContext, TransactionEntity, TransactionQueryService, TransactionStateService, TxStatus } from '@payhub/transactions';
import { ApplyOutcomeService, ApplyResult } from './apply-outcome.service';
import { callProvider } from './provider-call';
import { toTransactionView } from './transaction-view';

export interface CheckOptions {
  /**
   * What asked for the check. `notification`: a provider's notification that payhub does not trust (Kasha's),
   * which can arrive while payhub's own call creating the payment is still open (Kasha notifies before it
   * answers direct-payment).
   */
  prompt?: 'notification';
}

export interface CheckResult {
  result: ApplyResult;
  tx: TransactionEntity;
  /**
   * The check could not tell, and the payment's submission still can: it is only noted, and another look is
   * due once the submission had time to answer (a trailing check).
   */
  deferred: boolean;
}

/**
 * Asks the provider where a transaction stands and applies the answer through the state machine.
 * Used by reconciliation, by callbacks that cannot be trusted (Kasha) and by staff.
 */
@Injectable()
export class CheckStatusUseCase {
  constructor(
    private readonly query: TransactionQueryService,
    private readonly providerConfigs: ProviderConfigService,
    private readonly registry: ProviderRegistry,
    private readonly outcomes: ApplyOutcomeService,
    private readonly state: TransactionStateService,
  ) {}

  /**
   * A REGISTERED payment is one whose submission has not answered yet: payhub's call to the provider is open, or
   * the process died in it (status sync takes those up after 5 minutes). An unknown answer to a check a
   * notification prompted (an adapter with no provider id to ask about yet) says nothing about that submission,
   * so it does not mark the payment INCONSISTENT: it is noted, and the submission's own answer settles the
   * payment. Any other answer (a real status) is applied as usual.
   */
  async check(txId: string, ctx: Partial<ChangeContext> = {}, options: CheckOptions = {}): Promise<CheckResult> {
    const tx = await this.query.get(txId);
    if (!tx.provider || !tx.providerAccount) return { result: 'ignored', tx, deferred: false };
    const provider = this.registry.get(tx.provider);
    const account = await this.providerConfigs.resolveAccount(tx.merchantId, tx.provider, tx.providerAccount);
    const outcome = await callProvider(() => provider.checkStatus(toTransactionView(tx), account));
    const context: ChangeContext = { source: 'status_check', actor: 'system', ...ctx };
    if (options.prompt === 'notification' && tx.status === TxStatus.REGISTERED && outcome.status === TxStatus.INCONSISTENT) {
      await this.state.note(tx.id, {
        ...context,
        reason: `${context.reason ? `${context.reason}: ` : ''}the check could not tell; left to payhub's own request to the provider, which has not answered yet`,
        providerCode: outcome.failure?.providerCode ?? null,
        providerMessage: outcome.failure?.providerMessage ?? null,
        data: { raw: outcome.raw, unknown: outcome.failure?.reason ?? null },
      });
      return { result: 'ignored', tx, deferred: true };
    }
    return { ...(await this.outcomes.apply(tx.id, outcome, context)), deferred: false };
  }
}
