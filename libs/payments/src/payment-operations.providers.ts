import { PayoutAutoApprovalService } from './payouts/payout-auto-approval.service';
import { PayoutDecisionUseCase } from './payouts/payout-decision.use-case';
import { PayoutQueue } from './payouts/payout-queue';
import { SubmitPayoutUseCase } from './payouts/submit-payout.use-case';
import { RefundUseCase } from './refunds/refund.use-case';

/**
 * Refunds, reversals and payout decisions: provided and exported by PaymentsModule.
 * SubmitPayoutUseCase is here too for card payouts, which the api sends inline (the card is only in the request).
 */
export const PAYMENT_OPERATIONS = [RefundUseCase, PayoutQueue, PayoutAutoApprovalService, PayoutDecisionUseCase, SubmitPayoutUseCase];
