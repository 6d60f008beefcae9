import { ForceStatusUseCase } from './backoffice/force-status.use-case';
import { TransactionDetailQuery } from './backoffice/transaction-detail.query';
import { PayoutAutoApprovalService } from './payouts/payout-auto-approval.service';
import { PayoutDecisionUseCase } from './payouts/payout-decision.use-case';
import { PayoutQueue } from './payouts/payout-queue';
import { PayoutSweepService } from './payouts/payout-sweep.service';
import { SubmitPayoutUseCase } from './payouts/submit-payout.use-case';
import { RefundUseCase } from './refunds/refund.use-case';

/**
 * Refunds, reversals, payout decisions and staff overrides: provided and exported by PaymentsModule.
 * SubmitPayoutUseCase is here too for card payouts, which the api sends inline (the card is only in the request);
 * the worker's payouts processor submits approved ones with the same instance.
 */
export const PAYMENT_OPERATIONS = [RefundUseCase, PayoutQueue, PayoutAutoApprovalService, PayoutDecisionUseCase, ForceStatusUseCase, TransactionDetailQuery, SubmitPayoutUseCase, PayoutSweepService];
