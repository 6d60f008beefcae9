import { Injectable } from '@nestjs/common';
import { ProviderConfigService } from '@payhub/provider-config';
import { ProviderRegistry } from '@payhub/providers-core';
import { ChangeContext, TransactionEntity, TransactionQueryService } from '@payhub/transactions';
import { ApplyOutcomeService, ApplyResult } from './apply-outcome.service';
import { callProvider } from './provider-call';
import { toTransactionView } from './transaction-view';

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
  ) {}

  async check(txId: string, ctx: Partial<ChangeContext> = {}): Promise<{ result: ApplyResult; tx: TransactionEntity }> {
    const tx = await this.query.get(txId);
    if (!tx.provider || !tx.providerAccount) return { result: 'ignored', tx };
    const provider = this.registry.get(tx.provider);
    const account = await this.providerConfigs.resolveAccount(tx.merchantId, tx.provider, tx.providerAccount);
    const outcome = await callProvider(() => provider.checkStatus(toTransactionView(tx), account));
    return this.outcomes.apply(tx.id, outcome, { source: 'status_check', actor: 'system', ...ctx });
  }
}
