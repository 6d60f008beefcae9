import type { AccountLookup, ResolvedAccount, TransactionView } from '@payhub/providers-core';
import type { ProviderConfigService } from '@payhub/provider-config';
import type { TransactionQueryService } from '@payhub/transactions';
import { toTransactionView } from '../transaction-view';

/**
 * How an adapter finds the keys that verify a callback: by the transaction it names, or, for
 * providers whose callbacks name no payhub id up front, every account configured for the provider.
 */
export class TransactionAccountLookup implements AccountLookup {
  constructor(
    private readonly provider: string,
    private readonly query: TransactionQueryService,
    private readonly configs: ProviderConfigService,
  ) {}

  async forTransaction(txId: string): Promise<ResolvedAccount | null> {
    const tx = await this.query.get(txId).catch(() => null);
    if (!tx || tx.provider !== this.provider || !tx.providerAccount) return null;
    return this.configs.resolveAccount(tx.merchantId, this.provider, tx.providerAccount).catch(() => null);
  }

  async transaction(txId: string): Promise<TransactionView | null> {
    const tx = await this.query.get(txId).catch(() => null);
    return tx && tx.provider === this.provider ? toTransactionView(tx) : null;
  }

  candidates(): Promise<ResolvedAccount[]> {
    return this.configs.allAccounts(this.provider);
  }
}
