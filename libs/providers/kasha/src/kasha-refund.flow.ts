import { ProviderOutcome, RefundRequest, ResolvedAccount } from '@payhub/providers-core';
import { FailureCode, refundCeiling, TxStatus } from '@payhub/domain';
import { interpret, KASHA_SUCCESS, messageOf, str, unknown } from './kasha-answers';
import { KashaHttp } from './kasha-http';
import { kashaStatusOf, mapRefundAnswer, reportedMoney } from './kasha-status';

/** Kasha refunds by merchant reference, the whole amount only. */
export async function kashaRefund(req: RefundRequest, account: ResolvedAccount): Promise<ProviderOutcome> {
  if (req.amount !== refundCeiling(req.parent)) {
    return {
      status: TxStatus.FAILED,
      failure: { code: FailureCode.INVALID_REQUEST, reason: 'Kasha refunds only the full settled amount', providerMessage: null },
      raw: { note: 'partial refund refused before sending' },
    };
  }
  const http = new KashaHttp(account);
  const providerData = { refundOf: req.parent.providerTxId ?? null };
  const interpreted = interpret(await http.postJson('refund', http.paths.refund, { merchantReference: req.parent.id }), http, providerData);
  if (!interpreted.ok) return interpreted.outcome;
  const status = kashaStatusOf(interpreted.json);
  const providerTxId = str(interpreted.json._id) ?? req.parent.providerTxId ?? null;
  if (interpreted.code !== KASHA_SUCCESS) {
    return unknown(
      { raw: http.raw(), providerTxId, providerData },
      `Kasha answered refund with statusCode ${interpreted.code ?? 'none'}`,
      messageOf(interpreted.json),
    );
  }
  const mapped = mapRefundAnswer(status, interpreted.json);
  return {
    ...mapped,
    // A full refund: what Kasha says it gave back is compared with the refund (ApplyOutcomeService).
    ...(mapped.status === TxStatus.SUCCESSFUL ? reportedMoney(interpreted.json, req.currency) : {}),
    providerTxId,
    providerData: { ...providerData, kashaStatus: status ?? null },
    raw: http.raw(),
  };
}
