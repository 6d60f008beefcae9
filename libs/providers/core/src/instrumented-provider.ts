import { inSpan, MetricsService } from '@payhub/common';
import type { PaymentProvider } from './payment-provider.port';
import type { ProviderOutcome } from './provider.types';

/** The adapter methods that call out to the provider, and their `operation` label. */
const OUTBOUND: Record<string, string> = {
  deposit: 'deposit',
  withdraw: 'withdraw',
  refund: 'refund',
  reverse: 'reverse',
  approvePayout: 'approve_payout',
  declinePayout: 'decline_payout',
  checkStatus: 'check_status',
};

/**
 * The adapter as the registry hands it out: every outbound call is counted and timed by provider,
 * operation and outcome (the status answered, or `error` when the adapter threw), and traced with the
 * transaction id. Adapters stay unaware of it; everything else passes through untouched.
 */
export function instrumentProvider(provider: PaymentProvider, metrics: MetricsService): PaymentProvider {
  return new Proxy(provider, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      const operation = typeof property === 'string' ? OUTBOUND[property] : undefined;
      if (!operation || typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        inSpan(
          `provider ${target.id} ${operation}`,
          { 'payhub.provider': target.id, 'payhub.operation': operation, 'payhub.transaction_id': transactionIdOf(args[0]) },
          async () => {
            const started = performance.now();
            let outcome = 'error';
            try {
              const result = (await value.apply(target, args)) as ProviderOutcome;
              outcome = String(result?.status ?? 'unknown').toLowerCase();
              return result;
            } finally {
              metrics.providerCall(target.id, operation, outcome, (performance.now() - started) / 1000);
            }
          },
        );
    },
  });
}

function transactionIdOf(request: unknown): string | undefined {
  const r = request as { txId?: string; id?: string; tx?: { id?: string } } | undefined;
  return r?.txId ?? r?.tx?.id ?? r?.id;
}
