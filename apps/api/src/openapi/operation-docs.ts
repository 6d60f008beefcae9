import { ErrorCode } from '@payhub/common';
import { listOf, Schema } from './response-schemas';

const E = ErrorCode;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

export interface OperationDoc {
  /** Schema of the success body; `null` for an answer without one. */
  ok: Schema | null;
  /** The codes this operation answers beyond those every operation of its kind has (auth, validation, 5xx). */
  errors: ErrorCode[];
  /** Other media types of the success body, e.g. the PaymentIQ XML export. */
  alsoAnswers?: string[];
  /** The request body, where it is not one DTO (a provider config is validated by the provider's own schema). */
  body?: Record<string, { schema: Schema }>;
  /** The change may need a second admin: then it answers 202 with the pending change instead (maker-checker). */
  proposal?: true;
  /** A success body that is not JSON (the Prometheus exposition format). */
  text?: string;
}

const TX_ERRORS = [E.TRANSACTION_NOT_FOUND];
const PAYMENT_ERRORS = [
  E.DUPLICATE_MERCHANT_TX_ID,
  E.UNSUPPORTED_CURRENCY,
  E.INVALID_AMOUNT,
  E.ROUTING_NO_MATCH,
  E.ROUTING_NO_AVAILABLE_TARGET,
  E.UNKNOWN_CARD_BRAND,
  E.NO_PAYWAY_MAPPING,
  E.PROVIDER_ACCOUNT_NOT_FOUND,
  E.PROVIDER_CONFIG_NOT_FOUND,
  E.OPERATION_NOT_SUPPORTED,
  E.PROVIDER_UNAVAILABLE,
  E.PROVIDER_ERROR,
];
const RETURN_ERRORS = [
  E.TRANSACTION_NOT_FOUND,
  E.TRANSACTION_NOT_ELIGIBLE,
  E.REFUND_EXCEEDS_AMOUNT,
  E.OPERATION_NOT_SUPPORTED,
  E.DUPLICATE_MERCHANT_TX_ID,
  E.PROVIDER_UNAVAILABLE,
  E.PROVIDER_ERROR,
];
const PAYOUT_DECISION = [
  E.TRANSACTION_NOT_FOUND,
  E.TRANSACTION_STATE_CONFLICT,
  E.FOUR_EYES_VIOLATION,
  E.ILLEGAL_TRANSITION,
  E.PROVIDER_UNAVAILABLE,
  E.PROVIDER_ERROR,
];
const CONFIG = [E.MERCHANT_NOT_FOUND, E.PROVIDER_NOT_FOUND];

/**
 * Every operation of the api, by the operationId Nest gives it (`<Controller>_<method>`). A route
 * missing here fails test/openapi.e2e-spec.ts, so a new route is documented when it is added.
 */
export const OPERATION_DOCS: Record<string, OperationDoc> = {
  HealthController_health: { ok: ref('Health'), errors: [] },

  DepositsController_create: { ok: ref('Transaction'), errors: PAYMENT_ERRORS },
  ActivationController_activate: {
    ok: ref('Transaction'),
    errors: [E.TRANSACTION_NOT_FOUND, E.ILLEGAL_TRANSITION, E.ACTIVATION_REJECTED, E.OPERATION_NOT_SUPPORTED, E.PROVIDER_UNAVAILABLE, E.PROVIDER_ERROR],
  },
  WithdrawalsController_create: { ok: ref('Transaction'), errors: PAYMENT_ERRORS },
  TransactionsController_get: { ok: ref('Transaction'), errors: TX_ERRORS },
  TransactionsController_list: { ok: listOf('Transaction'), errors: [] },
  PaymentMethodsController_list: { ok: listOf('PaymentMethod'), errors: [] },
  RefundsController_create: { ok: ref('Transaction'), errors: RETURN_ERRORS },

  AuthController_login: { ok: ref('AccessToken'), errors: [E.INVALID_CREDENTIALS, E.TOTP_REQUIRED] },
  AuthController_logout: { ok: null, errors: [] },
  AuthController_enrol: { ok: ref('TotpEnrolment'), errors: [] },
  AuthController_confirm: { ok: null, errors: [E.INVALID_CREDENTIALS] },

  PendingChangesController_list: { ok: listOf('PendingChange'), errors: [] },
  PendingChangesController_get: { ok: ref('PendingChange'), errors: [E.PENDING_CHANGE_NOT_FOUND] },
  PendingChangesController_confirm: {
    ok: ref('PendingChange'),
    errors: [E.PENDING_CHANGE_NOT_FOUND, E.PENDING_CHANGE_NOT_PENDING, E.PENDING_CHANGE_STALE, E.FOUR_EYES_VIOLATION],
  },
  PendingChangesController_reject: { ok: ref('PendingChange'), errors: [E.PENDING_CHANGE_NOT_FOUND, E.PENDING_CHANGE_NOT_PENDING] },

  MerchantsController_list: { ok: listOf('Merchant'), errors: [] },
  MerchantsController_create: { ok: ref('MerchantCreated'), errors: [E.MERCHANT_NAME_TAKEN] },
  MerchantsController_get: { ok: ref('Merchant'), errors: [E.MERCHANT_NOT_FOUND] },
  MerchantsController_update: { ok: ref('Merchant'), errors: [E.MERCHANT_NOT_FOUND, E.MERCHANT_NAME_TAKEN] },
  MerchantsController_rotateWebhookSecret: { ok: ref('WebhookSecretRotated'), errors: [E.MERCHANT_NOT_FOUND] },
  MerchantsController_apiKeys: { ok: listOf('ApiKey'), errors: [E.MERCHANT_NOT_FOUND] },
  MerchantsController_createApiKey: { ok: ref('ApiKeyCreated'), errors: [E.MERCHANT_NOT_FOUND] },
  MerchantsController_revokeApiKey: { ok: ref('ApiKey'), errors: [E.MERCHANT_NOT_FOUND, E.API_KEY_NOT_FOUND] },
  MerchantPayoutSettingsController_get: { ok: ref('PayoutAutoApprove'), errors: [E.MERCHANT_NOT_FOUND] },
  MerchantPayoutSettingsController_put: { ok: ref('PayoutAutoApprove'), errors: [E.MERCHANT_NOT_FOUND], proposal: true },
  MerchantWebhookEventsController_get: { ok: ref('WebhookEventSelection'), errors: [E.MERCHANT_NOT_FOUND] },
  MerchantWebhookEventsController_put: { ok: ref('WebhookEventSelection'), errors: [E.MERCHANT_NOT_FOUND] },

  StaffController_list: { ok: listOf('Staff'), errors: [] },
  StaffController_create: { ok: ref('Staff'), errors: [E.STAFF_EMAIL_TAKEN], proposal: true },
  StaffController_update: { ok: ref('Staff'), errors: [E.STAFF_NOT_FOUND], proposal: true },
  StaffController_unlock: { ok: ref('Staff'), errors: [E.STAFF_NOT_FOUND] },

  ProviderConfigController_get: { ok: ref('ProviderConfig'), errors: [...CONFIG, E.PROVIDER_CONFIG_NOT_FOUND], alsoAnswers: ['application/xml'] },
  ProviderConfigController_put: {
    ok: ref('ProviderConfig'),
    errors: [...CONFIG, E.PROVIDER_CONFIG_INVALID],
    proposal: true,
    body: {
      'application/json': {
        schema: {
          type: 'object',
          description: "the provider's config: enabled, testMode, paywayMapping, baseUrls, accounts (see docs/provider-config.md)",
          additionalProperties: true,
        },
      },
      'application/xml': { schema: { type: 'string', description: 'the PaymentIQ <Provider>Config XML form' } },
      'text/xml': { schema: { type: 'string' } },
    },
  },
  ProviderConfigController_versions: { ok: listOf('ProviderConfig'), errors: CONFIG },
  ProviderConfigController_restore: {
    ok: ref('ProviderConfig'),
    errors: [...CONFIG, E.PROVIDER_CONFIG_VERSION_NOT_FOUND, E.PROVIDER_CONFIG_INVALID],
    proposal: true,
  },

  RoutingController_rules: { ok: listOf('RoutingRule'), errors: [E.MERCHANT_NOT_FOUND] },
  RoutingController_replaceRules: { ok: listOf('RoutingRule'), errors: [E.MERCHANT_NOT_FOUND] },
  RoutingController_explain: { ok: ref('RoutingExplanation'), errors: [E.MERCHANT_NOT_FOUND] },
  RoutingController_explainDraft: { ok: ref('RoutingExplanation'), errors: [E.MERCHANT_NOT_FOUND] },
  RoutingController_threeDs: { ok: ref('ThreeDsSetting'), errors: [E.MERCHANT_NOT_FOUND] },
  RoutingController_setThreeDs: { ok: ref('ThreeDsSetting'), errors: [E.MERCHANT_NOT_FOUND] },

  BackofficeTransactionsController_search: { ok: listOf('StaffTransactionRow'), errors: [] },
  BackofficeTransactionsController_detail: { ok: ref('TransactionDetail'), errors: TX_ERRORS },
  BackofficeTransactionsController_refund: { ok: ref('StaffTransaction'), errors: RETURN_ERRORS },
  BackofficeTransactionsController_reverse: { ok: ref('StaffTransaction'), errors: RETURN_ERRORS },
  BackofficeTransactionsController_forceStatus: {
    ok: ref('StaffTransaction'),
    errors: [E.TRANSACTION_NOT_FOUND, E.TRANSACTION_NOT_ELIGIBLE, E.ILLEGAL_TRANSITION],
  },
  BackofficeWithdrawalsController_create: { ok: ref('StaffTransaction'), errors: [...PAYMENT_ERRORS, E.MERCHANT_NOT_FOUND] },
  BackofficeWithdrawalsController_approve: { ok: ref('StaffTransaction'), errors: PAYOUT_DECISION },
  BackofficeWithdrawalsController_decline: { ok: ref('StaffTransaction'), errors: PAYOUT_DECISION },

  AuditLogController_list: { ok: listOf('AuditEntry'), errors: [] },
  WebhookDeliveriesController_list: { ok: listOf('WebhookDelivery'), errors: [] },
  WebhookDeliveriesController_get: { ok: ref('WebhookDeliveryDetail'), errors: [E.WEBHOOK_DELIVERY_NOT_FOUND] },
  WebhookDeliveriesController_resend: { ok: ref('WebhookDelivery'), errors: [E.WEBHOOK_DELIVERY_NOT_FOUND, E.WEBHOOK_DELIVERY_PENDING] },
  WebhookDeliveriesController_resendFailed: { ok: ref('ResendFailedResult'), errors: [E.MERCHANT_NOT_FOUND] },
  ReconciliationReportsController_list: { ok: listOf('ReconciliationReport'), errors: [] },

  AuthController_me: { ok: ref('StaffSession'), errors: [] },
  DashboardController_get: { ok: ref('Dashboard'), errors: [] },
  BackofficeTransactionsController_exportCsv: { ok: null, errors: [], text: 'text/csv' },
  AuditLogController_exportCsv: { ok: null, errors: [], text: 'text/csv' },
  BackofficeTransactionsController_timeline: { ok: ref('TransactionTimeline'), errors: TX_ERRORS },
  BackofficeTransactionsController_checkStatus: {
    ok: ref('StatusCheckResult'),
    errors: [E.TRANSACTION_NOT_FOUND, E.OPERATION_NOT_SUPPORTED, E.PROVIDER_UNAVAILABLE, E.PROVIDER_ERROR],
  },
  BackofficeWithdrawalsController_approvalQueue: { ok: listOf('QueuedPayout'), errors: [] },

  QueuesController_list: { ok: listOf('QueueSummary'), errors: [] },
  QueuesController_jobs: { ok: listOf('QueueJob'), errors: [E.QUEUE_NOT_FOUND] },
  QueuesController_job: { ok: ref('QueueJob'), errors: [E.QUEUE_NOT_FOUND, E.QUEUE_JOB_NOT_FOUND] },
  QueuesController_retry: { ok: ref('QueueJob'), errors: [E.QUEUE_NOT_FOUND, E.QUEUE_JOB_NOT_FOUND, E.QUEUE_JOB_STATE] },
  QueuesController_remove: { ok: null, errors: [E.QUEUE_NOT_FOUND, E.QUEUE_JOB_NOT_FOUND, E.QUEUE_JOB_STATE] },
  HealthController_live: { ok: ref('Liveness'), errors: [] },
  HealthController_ready: { ok: ref('Readiness'), errors: [] },
  HealthController_scrape: { ok: null, errors: [], text: 'text/plain' },
  ReconciliationReportsController_run: { ok: ref('ReconciliationRun'), errors: [] },
  ReconciliationReportsController_statusSync: { ok: ref('StatusSyncBacklog'), errors: [] },
  ProviderConfigController_diff: { ok: ref('ProviderConfigDiff'), errors: [...CONFIG, E.PROVIDER_CONFIG_VERSION_NOT_FOUND] },
  ProviderConfigFormsController_list: { ok: listOf('ProviderConfigForm'), errors: [] },
  ProviderConfigFormsController_get: { ok: ref('ProviderConfigForm'), errors: [E.PROVIDER_NOT_FOUND] },
};
