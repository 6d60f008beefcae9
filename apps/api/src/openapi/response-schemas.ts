import { ErrorCode, SUPPORTED_CURRENCIES } from '@payhub/common';
import { TxStatus, TxType, WEBHOOK_EVENT_TYPES } from '@payhub/transactions';

/** An OpenAPI 3.1 schema object (JSON Schema 2020-12). */
export type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: Schema): Schema => ({ oneOf: [schema, { type: 'null' }] });
const str = (description?: string, extra: Schema = {}): Schema => ({ type: 'string', ...(description ? { description } : {}), ...extra });
const nstr = (description?: string): Schema => ({ type: ['string', 'null'], ...(description ? { description } : {}) });
const int = (description?: string): Schema => ({ type: 'integer', ...(description ? { description } : {}) });
const nint = (description?: string): Schema => ({ type: ['integer', 'null'], ...(description ? { description } : {}) });
const time = (description?: string): Schema => ({ type: 'string', format: 'date-time', ...(description ? { description } : {}) });
const ntime = (description?: string): Schema => ({ type: ['string', 'null'], format: 'date-time', ...(description ? { description } : {}) });
const anyObject = (description: string): Schema => ({ type: 'object', description, additionalProperties: true });
const obj = (properties: Record<string, Schema>, description?: string): Schema => ({
  type: 'object',
  ...(description ? { description } : {}),
  properties,
  required: Object.keys(properties),
});

/** `{ data, hasMore, nextCursor }`, the shape of every list. */
export function listOf(item: string): Schema {
  return obj({ data: { type: 'array', items: ref(item) }, hasMore: { type: 'boolean' }, nextCursor: nstr('pass as startingAfter for the next page') });
}

const TRANSACTION: Record<string, Schema> = {
  id: str('payhub id', { pattern: '^tx_' }),
  merchantTxId: str('your reference'),
  userId: str(),
  status: { type: 'string', enum: Object.values(TxStatus) },
  txType: { type: 'string', enum: Object.values(TxType) },
  service: nstr(),
  amount: int('minor units'),
  currency: { type: 'string', enum: [...SUPPORTED_CURRENCIES] },
  country: nstr('ISO 3166-1 alpha-2'),
  provider: nstr(),
  refundedAmount: int('minor units'),
  settledAmount: nint('minor units the provider settled when it differs from amount'),
  parentId: nstr('the deposit a refund or reversal belongs to'),
  card: nullable(obj({ brand: nstr(), bin: nstr(), last4: str(), expiry: nstr() })),
  nextAction: nullable({
    type: 'object',
    properties: {
      type: { type: 'string', enum: ['REDIRECT', 'DISPLAY_DETAILS', 'ACTIVATE'] },
      url: str(),
      method: str(),
      params: anyObject('form fields to send with the redirect'),
      details: anyObject('what the customer pays to'),
    },
    required: ['type'],
    additionalProperties: true,
  }),
  failure: nullable(obj({ code: str(), reason: str(), providerCode: nstr(), providerMessage: nstr() })),
  createdAt: time(),
  updatedAt: time(),
};

const TARGET_REF: Schema = obj({ provider: str(), account: str() });
const ERROR_DETAIL: Schema = {
  type: 'object',
  properties: { field: str(), issue: str(), value: { type: ['string', 'number', 'boolean', 'null'] } },
  required: ['field', 'issue'],
};
const TX_STATUS: Schema = { type: 'string', enum: Object.values(TxStatus) };
const MINOR_TEXT: Schema = str('minor units, exact integer text', { pattern: '^-?\\d+$' });

export const RESPONSE_SCHEMAS: Record<string, Schema> = {
  Error: obj(
    {
      error: obj({
        code: { type: 'string', enum: Object.values(ErrorCode) },
        message: str('for people; may change'),
        details: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              field: str('the offending field (card.number, rules[0].name, Content-Type), or the name of a fact'),
              issue: str(),
              value: { type: ['string', 'number', 'boolean', 'null'], description: 'present on facts, e.g. the transactionId a merchantTxId belongs to' },
            },
            required: ['field', 'issue'],
            additionalProperties: false,
          },
        },
        requestId: nstr('the id in the log line; quote it when reporting a 500'),
      }),
    },
    'Every error, everywhere: one shape; extra facts are details rows with a value',
  ),
  Transaction: obj(TRANSACTION),
  StaffTransaction: obj({ ...TRANSACTION, merchantId: str() }),
  StaffTransactionRow: obj({ ...TRANSACTION, merchantId: str(), providerTxId: nstr("the provider's id of the transaction") }),
  TransactionDetail: {
    ...obj({
      ...TRANSACTION,
      merchantId: str(),
      providerAccount: nstr(),
      providerTxId: nstr(),
      routing: obj({ ruleId: nstr(), reason: nstr() }),
      createdBy: nstr(),
      conflict: nullable(anyObject('a provider result contradicting a final status')),
      events: {
        type: 'array',
        items: obj({
          id: str('', { pattern: '^tev_' }),
          kind: str('status_change | conflict | provider_exchange | forced | refunded'),
          from: nstr(),
          to: nstr(),
          source: { type: 'string', enum: ['api', 'callback', 'status_check', 'backoffice', 'system'] },
          actor: nstr(),
          providerCode: nstr(),
          providerMessage: nstr(),
          reason: nstr(),
          data: nullable(anyObject('redacted provider exchange')),
          at: time(),
        }),
      },
      children: { type: 'array', items: ref('StaffTransaction') },
      callbacks: { type: 'array', items: anyObject('a provider callback as received (redacted) and how it was handled') },
      webhookAttempts: nullable({ type: 'array', items: ref('WebhookAttempt') }),
    }),
  },
  Merchant: obj({
    id: str('', { pattern: '^mer_' }),
    name: str(),
    status: { type: 'string', enum: ['active', 'disabled'] },
    webhookUrl: nstr(),
    previousWebhookSecretExpiresAt: ntime('until when the secret replaced by the last rotation still signs webhooks'),
    createdAt: time(),
    updatedAt: time(),
  }),
  MerchantCreated: obj({ merchant: ref('Merchant'), apiKey: str('shown once'), webhookSecret: str('shown once') }),
  WebhookSecretRotated: obj({ merchant: ref('Merchant'), webhookSecret: str('the new secret, shown once') }),
  ApiKey: obj({ id: str('', { pattern: '^key_' }), prefix: str(), label: nstr(), createdAt: time(), revokedAt: ntime() }),
  ApiKeyCreated: obj({ id: str(), apiKey: str('shown once'), prefix: str() }),
  Staff: obj({
    id: str('', { pattern: '^stf_' }),
    email: str(),
    roles: { type: 'array', items: { type: 'string', enum: ['viewer', 'operator', 'approver', 'admin'] } },
    status: { type: 'string', enum: ['active', 'disabled'] },
    totpEnabled: { type: 'boolean', description: 'a second factor (TOTP) is confirmed' },
    locked: { type: 'boolean', description: 'locked after failed sign-ins, until the lock expires or an admin unlocks' },
    createdAt: time(),
  }),
  AccessToken: obj({
    accessToken: str('a session token (phs_…); send as Authorization: Bearer <token>'),
    tokenType: { type: 'string', const: 'Bearer' },
    expiresIn: int('seconds until the absolute session limit'),
    totpEnrolmentRequired: { type: 'boolean', description: 'the role needs a second factor: only the enrolment routes answer until it is confirmed' },
  }),
  TotpEnrolment: obj({ secret: str('base32, shown once'), otpauthUrl: str('otpauth:// URL for an authenticator app') }),
  PendingChange: obj({
    id: str(),
    kind: str('what the change does: payout_auto_approve, staff_create, staff_roles, provider_config'),
    status: { type: 'string', enum: ['pending', 'confirmed', 'rejected', 'expired'] },
    target: obj({ type: str(), id: str() }),
    before: anyObject('the target before the change'),
    after: anyObject('the target after the change'),
    proposedBy: obj({ id: str(), email: nstr() }),
    decidedBy: nullable(obj({ id: str(), email: nstr() })),
    decidedAt: ntime(),
    createdAt: time(),
    expiresAt: time('24 h after it was proposed'),
  }),
  ProviderConfig: obj({
    merchantId: str(),
    provider: str(),
    version: int(),
    config: anyObject('the account/accounts schema of the provider, secrets masked'),
    createdBy: str(),
    createdAt: time(),
    comment: nstr(),
  }),
  RoutingRule: obj({
    id: str(),
    name: str(),
    priority: int(),
    enabled: { type: 'boolean' },
    when: anyObject('conditions, all of which must hold'),
    then: anyObject('targets (weighted) and fallback'),
  }),
  RoutingExplanation: obj(
    {
      payment: obj(
        { txId: str(), txType: str(), service: nstr(), amount: int('minor units'), currency: str(), country: nstr(), cardBrand: nstr(), bin: nstr() },
        'the sample as routing saw it; a card number reduced to brand and BIN',
      ),
      rules: {
        type: 'array',
        description: 'every rule in evaluation order',
        items: obj({
          ruleId: str('draft-<index> for a draft rule'),
          ruleName: str(),
          priority: int(),
          enabled: { type: 'boolean' },
          matched: { type: 'boolean', description: 'its conditions hold (also reported for disabled rules and rules behind the winner)' },
          selected: { type: 'boolean', description: 'this rule routes the payment' },
          failedCondition: {
            type: ['string', 'null'],
            enum: ['txTypes', 'services', 'currencies', 'countries', 'cardBrands', 'binPrefixes', 'amountMin', 'amountMax', 'enabled', null],
            description: "the first failing condition, 'enabled' for a disabled rule; null when matched",
          },
          reason: str(),
        }),
      },
      decision: nullable(
        obj(
          { ruleId: str(), ruleName: str(), target: TARGET_REF, fallback: { type: 'array', items: TARGET_REF }, reason: str() },
          'the winning rule, target and fallback',
        ),
      ),
      error: nullable(obj({ code: str(), message: str(), details: { type: 'array', items: ERROR_DETAIL } }, 'why no rule routes it')),
      threeDs: nullable(ref('ThreeDsSetting')),
    },
    'which rule routes the sample payment and why, rule by rule',
  ),
  ThreeDsSetting: obj({ enabled: { type: 'boolean' }, mode: { type: 'string', enum: ['off', 'only_3ds', 'required_3ds_v1', 'required_3ds_v2'] } }),
  WebhookEventSelection: obj({
    events: { type: 'array', items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] }, description: 'the types the merchant receives' },
    available: { type: 'array', items: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] }, description: 'every webhook event type' },
  }),
  PayoutAutoApprove: obj({ rules: { type: 'array', items: obj({ currency: str(), below: int('minor units, exclusive') }) } }),
  PaymentMethod: {
    type: 'object',
    properties: {
      txType: { type: 'string', enum: Object.values(TxType) },
      service: nstr(),
      name: str(),
      cardBrands: { type: 'array', items: str() },
      inputFields: { type: 'array', items: anyObject('a field the customer must give') },
      limits: obj({ currency: str(), minAmount: nint('minor units'), maxAmount: nint('minor units') }),
      threeDs: obj({ required: { type: 'boolean' }, mode: str() }),
      logo: nstr(),
      hints: anyObject('provider hints, e.g. a manual method'),
    },
    required: ['txType', 'service', 'name', 'inputFields', 'limits', 'threeDs'],
  },
  WebhookDelivery: obj({
    id: str('', { pattern: '^whd_' }),
    eventId: str('', { pattern: '^evt_' }),
    merchantId: str(),
    transactionId: str(),
    type: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] },
    status: { type: 'string', enum: ['pending', 'delivered', 'failed', 'skipped'] },
    attemptCount: int(),
    url: nstr(),
    lastStatusCode: nint(),
    lastError: nstr(),
    nextAttemptAt: ntime(),
    lastAttemptAt: ntime(),
    deliveredAt: ntime(),
    createdAt: time(),
  }),
  WebhookAttempt: obj({
    deliveryId: str(),
    attemptNo: int(),
    kind: { type: 'string', enum: ['auto', 'resend'] },
    url: str(),
    outcome: str(),
    statusCode: nint(),
    latencyMs: int(),
    responseExcerpt: nstr(),
    error: nstr(),
    at: time(),
  }),
  WebhookDeliveryDetail: {
    allOf: [ref('WebhookDelivery'), obj({ payload: ref('WebhookEvent'), attempts: { type: 'array', items: ref('WebhookAttempt') } })],
  },
  ResendFailedResult: obj({ resent: int(), deliveryIds: { type: 'array', items: str() } }),
  AuditEntry: obj({
    id: str('', { pattern: '^aud_' }),
    actor: nullable(obj({ id: str(), email: nstr() })),
    action: str(),
    target: obj({ type: str(), id: str() }),
    before: { description: 'the state before, as JSON' },
    after: { description: 'the state after, as JSON' },
    reason: nstr(),
    requestId: nstr(),
    at: time(),
  }),
  ReconciliationReport: obj({
    id: str(),
    date: str('the UTC day covered', { format: 'date' }),
    merchantId: str(),
    provider: str(),
    account: str(),
    status: { type: 'string', enum: ['matched', 'mismatch', 'unsupported', 'error'] },
    mismatchFlagged: { type: 'boolean' },
    providerTxCount: int(),
    payhubTxCount: int(),
    mismatchCount: int(),
    balances: nullable({
      type: 'array',
      description: 'provider balances against payhub totals, per currency',
      items: obj({ currency: str(), provider: nstr('minor units as text; null when the provider gives no balance'), payhub: MINOR_TEXT, difference: nstr() }),
    }),
    mismatches: nullable({ type: 'array', description: 'every mismatch found', items: ref('ReconciliationMismatch') }),
    error: nstr(),
    createdAt: time(),
    updatedAt: time(),
  }),
  ReconciliationMismatch: {
    oneOf: [
      obj({
        kind: { type: 'string', const: 'missing_in_payhub' },
        providerTxId: nstr(),
        txId: nstr(),
        providerStatus: TX_STATUS,
        amount: MINOR_TEXT,
        currency: str(),
      }),
      obj({
        kind: { type: 'string', const: 'missing_at_provider' },
        txId: str(),
        providerTxId: nstr(),
        payhubStatus: TX_STATUS,
        amount: MINOR_TEXT,
        currency: str(),
      }),
      obj({ kind: { type: 'string', const: 'status_mismatch' }, txId: str(), providerTxId: nstr(), payhubStatus: TX_STATUS, providerStatus: TX_STATUS }),
      obj({
        kind: { type: 'string', const: 'amount_mismatch' },
        txId: str(),
        providerTxId: nstr(),
        payhub: MINOR_TEXT,
        provider: MINOR_TEXT,
        payhubCurrency: str(),
        providerCurrency: str(),
      }),
      obj({ kind: { type: 'string', const: 'balance_mismatch' }, currency: str(), payhub: MINOR_TEXT, provider: MINOR_TEXT, difference: MINOR_TEXT }),
    ],
  },
  StaffSession: obj({
    id: str('', { pattern: '^stf_' }),
    email: str(),
    roles: { type: 'array', items: { type: 'string', enum: ['viewer', 'operator', 'approver', 'admin'] } },
  }),
  Dashboard: obj({
    since: time('start of the 24 h window'),
    volume: {
      type: 'array',
      items: obj({
        provider: nstr(),
        status: str(),
        currency: str(),
        count: int(),
        amount: str('sum in minor units, exact integer text (may pass 2^53)', { pattern: '^-?\\d+$' }),
      }),
    },
    successRates: {
      type: 'array',
      items: obj({ provider: nstr(), txType: str(), successful: int(), finished: int(), rate: { type: ['number', 'null'], description: '0..1' } }),
    },
    inconsistent: int(),
    conflicts: int('transactions with an unresolved conflict'),
    oldestUnfinished: nullable(obj({ id: str(), status: str(), createdAt: time(), ageSeconds: int() })),
    failedWebhooks: int(),
    waitingApproval: int(),
  }),
  TransactionTimeline: obj({
    transactionId: str(),
    entries: {
      type: 'array',
      items: obj({
        at: time(),
        kind: { type: 'string', enum: ['status_change', 'provider_exchange', 'callback', 'webhook_attempt', 'conflict', 'staff_action', 'note'] },
        summary: str(),
        actor: nstr(),
        data: anyObject('the redacted facts behind the entry'),
      }),
    },
  }),
  StatusCheckResult: obj({ result: str('what the provider answered, in payhub terms'), transaction: ref('Transaction') }),
  QueuedPayout: obj({
    ...TRANSACTION,
    merchantId: str(),
    createdBy: nstr(),
    approvable: { type: 'boolean', description: 'whether the reader may release it' },
    notApprovableReason: { type: ['string', 'null'], enum: ['not_an_approver', 'own_payout', null] },
  }),
  QueueSummary: obj({
    name: str(),
    paused: { type: 'boolean' },
    counts: obj({ waiting: int(), active: int(), delayed: int(), failed: int(), completed: int() }),
  }),
  QueueJob: obj({
    id: str(),
    queue: str(),
    name: str(),
    state: str(),
    data: anyObject('the job as it was enqueued'),
    attemptsMade: int(),
    attempts: nint(),
    failedReason: nstr(),
    stacktrace: nstr('the last error, first lines'),
    createdAt: time(),
    processedAt: ntime(),
    finishedAt: ntime(),
    delayMs: int(),
  }),
  Liveness: obj({ status: { type: 'string', const: 'ok' } }),
  Readiness: obj({
    status: { type: 'string', enum: ['ok', 'error'] },
    failing: { type: 'array', items: { type: 'string', enum: ['mysql', 'redis', 'migrations', 'worker', 'outbox', 'statusSync'] } },
    checks: anyObject('per part: status up|down, latencyMs, error, and its facts (worker alive and heartbeat age, outbox lag, status-sync overdue)'),
  }),
  Health: {
    type: 'object',
    description: 'overall status and each dependency',
    additionalProperties: true,
    properties: { status: str() },
    required: ['status'],
  },
  WebhookEvent: obj(
    {
      eventId: str('also in the Payhub-Event-Id header; deduplicate on it', { pattern: '^evt_' }),
      type: { type: 'string', enum: [...WEBHOOK_EVENT_TYPES] },
      createdAt: time('when the change happened'),
      previousStatus: nullable({ type: 'string', enum: Object.values(TxStatus) }),
      transaction: ref('Transaction'),
    },
    'The body of every webhook; transaction.refunded and transaction.refund_reverted add `refund: { id, txType, amount, status }`',
  ),
  ReconciliationRun: obj({
    date: str('the UTC day reported, YYYY-MM-DD'),
    jobId: str('the Bull job on the reports queue (Queues screen)'),
    queue: str(),
  }),
  StatusSyncBacklog: obj({
    scheduled: int('unfinished transactions with a status-check schedule, up to countCap'),
    due: int('checks whose time has come and that no dispatch holds, up to countCap'),
    countCap: int('counts stop here (10000)'),
    scheduledCapped: { type: 'boolean', description: 'more than countCap are scheduled' },
    dueCapped: { type: 'boolean', description: 'more than countCap are due' },
    oldestDueAt: ntime('when the oldest due check was due'),
    oldestDueAgeSeconds: nint('how long it has waited'),
  }),
  ProviderConfigFormField: {
    type: 'object',
    description: 'one config field, read from the rules that validate it',
    properties: {
      name: str(),
      type: {
        type: 'string',
        enum: ['string', 'boolean', 'integer', 'enum', 'object', 'map'],
        description: 'object: nested `fields`; map: free keys to strings',
      },
      required: { type: 'boolean' },
      conditional: { type: 'boolean', description: 'required together with other fields; the API names the missing one' },
      secret: { type: 'boolean', description: 'sealed at rest and masked in every answer' },
      enum: { type: 'array', items: str() },
      pattern: str(),
      maxLength: int(),
      minimum: int(),
      maximum: int(),
      default: { description: 'filled in when absent' },
      hint: str(),
      fields: { type: 'array', items: ref('ProviderConfigFormField') },
    },
    required: ['name', 'type', 'required', 'conditional', 'secret'],
  },
  ProviderConfigForm: obj(
    {
      provider: str(),
      xmlRootElement: str('root element of the PaymentIQ XML form'),
      secretFields: { type: 'array', items: str() },
      config: { type: 'array', items: ref('ProviderConfigFormField'), description: 'the provider-independent fields' },
      baseUrls: { type: 'array', items: obj({ name: str(), default: nstr() }) },
      account: { type: 'array', items: ref('ProviderConfigFormField'), description: "one account's fields" },
    },
    "what a console generates a provider's config form from (the adapter's config descriptor)",
  ),
  ProviderConfigDiff: obj({
    merchantId: str(),
    provider: str(),
    from: int(),
    to: int(),
    changes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          field: str('dotted path, e.g. accounts.DEFAULT.checkoutId'),
          change: { type: 'string', enum: ['added', 'removed', 'changed'] },
          before: {},
          after: {},
          secret: { type: 'boolean', description: 'compared in the clear, shown masked' },
        },
        required: ['field', 'change', 'secret'],
      },
    },
  }),
};
