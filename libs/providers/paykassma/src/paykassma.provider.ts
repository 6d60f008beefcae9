import { Injectable } from '@nestjs/common';
import { ErrorDetail, toMajorString } from '@payhub/common';
import {
  AccountLookup,
  ActivationRequest,
  DepositRequest,
  PaymentProvider,
  PaymentProviderAdapter,
  ProviderBalance,
  ProviderInputField,
  ProviderMethodsQuery,
  ProviderOutcome,
  ProviderPaymentMethod,
  RawCallback,
  ResolvedAccount,
  TransactionView,
  VerifiedCallback,
  WithdrawalRequest,
} from '@payhub/providers-core';
import { TxType } from '@payhub/domain';
import { PAYKASSMA_CONFIG_DESCRIPTOR } from './paykassma-account.schema';
import { paykassmaActivate } from './paykassma-activation.flow';
import { paykassmaBalances } from './paykassma-balance.flow';
import { paykassmaDeposit, paykassmaUrlHashes } from './paykassma-deposit.flow';
import { paykassmaPaymentMethods } from './paykassma-payment-methods.flow';
import { paykassmaPostback } from './paykassma-postback.flow';
import { paykassmaCheckStatusBatch } from './paykassma-reconciliation.flow';
import { DEFAULT_REDIRECT_PAYMENT_SYSTEMS, isGeneric, listSetting, PAYKASSMA, PaykassmaCaches, settingsOf } from './paykassma-settings';
import { paykassmaCheckStatus } from './paykassma-status-check.flow';
import { PaykassmaUrlHashCache, UrlHashes } from './paykassma-url-hash.cache';
import { PaykassmaWalletListCache } from './paykassma-wallet-list.cache';
import { checkWithdrawalBody, parseRequiredFieldOverrides, withdrawalBody, withdrawalInputFields } from './paykassma-withdrawal';
import { paykassmaWithdraw } from './paykassma-withdrawal.flow';

export { PAYKASSMA } from './paykassma-settings';

/**
 * Paykassma (paykassma-api.md, the Itau Paraguay manual, NOTES §2). Deposits follow one of three
 * flows: activation (`transaction/create` then the customer's transaction number), redirect
 * (`payment/create`, bkash_api / nagad_api) or the payment window (plugin URL). Every result arrives as
 * a signed postback; `postback` / `pullpostbacks` settle what a postback did not. Cut like Kasha: this
 * class (capabilities, validation, inputs) over one file per flow (`paykassma-*.flow.ts`), the shared
 * settings (`paykassma-settings.ts`) and wallet list (`paykassma-wallets.ts`); the two in-process caches
 * are handed to the flows that use them.
 */
@PaymentProviderAdapter()
@Injectable()
export class PaykassmaProvider implements PaymentProvider {
  readonly id = PAYKASSMA;
  readonly configDescriptor = PAYKASSMA_CONFIG_DESCRIPTOR;
  private readonly caches: PaykassmaCaches;

  constructor(hashes: PaykassmaUrlHashCache, walletLists: PaykassmaWalletListCache) {
    this.caches = { hashes, walletLists };
  }

  /** Withdrawal fields each payment system requires, and whole amounts, checked before payhub stores it. */
  validate(req: DepositRequest | WithdrawalRequest, account: ResolvedAccount): ErrorDetail[] {
    if (req.txType !== TxType.WalletWithdrawal && req.txType !== TxType.BankLocalWithdrawal) return [];
    if (!req.service || isGeneric(req.service))
      return [{ field: 'service', issue: 'must name the Paykassma payment system (e.g. paytm, bkash, imps_ib, itau_ml)' }];
    if (!/^\d+(\.0+)?$/.test(toMajorString(req.amount, req.currency)))
      return [{ field: 'amount', issue: `Paykassma withdrawals take whole ${req.currency} amounts` }];
    return checkWithdrawalBody(
      withdrawalBody(req, account.testMode, account.descriptor),
      parseRequiredFieldOverrides(settingsOf(account).withdrawalRequiredFields),
    );
  }

  /**
   * Payouts: the payment system's required fields (the document's table, the account's overrides).
   * Deposits: a redirect PS's fields; an activation deposit needs nothing more at creation (its
   * activation fields come with the live list).
   */
  inputFields(method: { txType: TxType; service: string | null }, account: ResolvedAccount): ProviderInputField[] {
    const s = settingsOf(account);
    const ps = method.service ?? '';
    if (method.txType === TxType.WalletWithdrawal || method.txType === TxType.BankLocalWithdrawal) {
      return withdrawalInputFields(
        ps,
        method.txType === TxType.BankLocalWithdrawal ? 'bank' : 'wallet',
        parseRequiredFieldOverrides(s.withdrawalRequiredFields),
      );
    }
    if (s.paymentWindow || isGeneric(ps) || !listSetting(s.redirectPaymentSystems, DEFAULT_REDIRECT_PAYMENT_SYSTEMS).includes(ps)) return [];
    if (ps === 'bkash_api')
      return [
        { field: 'wallet.account', required: true },
        { field: 'redirectUrls.success', required: true },
        { field: 'redirectUrls.failure', required: true },
      ];
    if (ps === 'nagad_api')
      return [
        { field: 'redirectUrls.success', required: true },
        { field: 'redirectUrls.failure', required: true },
      ];
    return [
      { field: 'bank.bankCode', required: true },
      { field: 'redirectUrls.success', required: true },
      { field: 'redirectUrls.failure', required: true },
    ];
  }

  supports(txType: TxType): boolean {
    return [TxType.WalletDeposit, TxType.BankDeposit, TxType.WalletWithdrawal, TxType.BankLocalWithdrawal].includes(txType);
  }

  /** Activation, redirect or payment-window deposit (paykassma-deposit.flow.ts). */
  deposit(req: DepositRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    return paykassmaDeposit(this.caches, req, account);
  }

  /** `payment-plugin/hash-url`, cached per account and URL set for less than the hashes' one-day life. */
  urlHashes(account: ResolvedAccount, urls: { success?: string; fail?: string; pending?: string }): Promise<{ hashes: UrlHashes | null; raw: unknown }> {
    return paykassmaUrlHashes(this.caches, account, urls);
  }

  /** The customer's transaction number (and amount, screenshot) for an activation deposit. */
  activate(req: ActivationRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    return paykassmaActivate(req, account);
  }

  withdraw(req: WithdrawalRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
    return paykassmaWithdraw(req, account);
  }

  checkStatus(tx: TransactionView, account: ResolvedAccount): Promise<ProviderOutcome> {
    return paykassmaCheckStatus(tx, account);
  }

  /** `pullpostbacks` for many transactions at once (reconciliation), one call per type and batch. */
  checkStatusBatch(txs: TransactionView[], account: ResolvedAccount): Promise<Map<string, ProviderOutcome>> {
    return paykassmaCheckStatusBatch(txs, account);
  }

  getBalances(account: ResolvedAccount): Promise<ProviderBalance[]> {
    return paykassmaBalances(account);
  }

  paymentMethods(account: ResolvedAccount, query: ProviderMethodsQuery): Promise<ProviderPaymentMethod[]> {
    return paykassmaPaymentMethods(account, query);
  }

  parseCallback(req: RawCallback, accounts: AccountLookup): Promise<VerifiedCallback> {
    return paykassmaPostback(req, accounts);
  }
}
