/**
 * Response bodies the console reads. The OpenAPI document types paths and parameters (schema.d.ts,
 * generated); where it does not describe a response body yet, the console names what it reads here.
 * Once docs/openapi.json carries the response schemas, these become aliases of components['schemas'].
 */
export interface Me {
  id: string;
  email: string;
  roles: Array<'viewer' | 'operator' | 'approver' | 'admin'>;
}

export interface LoginAnswer {
  accessToken: string;
  tokenType: string;
  expiresIn: number;
  totpEnrolmentRequired: boolean;
}

export interface Transaction {
  id: string;
  merchantId?: string;
  merchantTxId: string;
  userId: string;
  status: string;
  txType: string;
  service: string | null;
  amount: number;
  currency: string;
  country: string | null;
  provider: string | null;
  providerTxId?: string | null;
  refundedAmount: number;
  settledAmount: number | null;
  parentId: string | null;
  card: { brand: string | null; bin: string | null; last4: string | null; expiry: string | null } | null;
  failure: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface TransactionDetail extends Transaction {
  merchantId: string;
  providerAccount: string | null;
  providerTxId: string | null;
  routing: { ruleId: string | null; reason: string | null };
  createdBy: string | null;
  conflict: { reportedStatus?: string; resolved?: boolean; [k: string]: unknown } | null;
  children: Transaction[];
}

export interface TimelineEntry {
  at: string;
  kind: string;
  summary: string;
  actor: string | null;
  data: unknown;
}

export interface QueuedPayout extends Transaction {
  merchantId: string;
  createdBy: string | null;
  approvable: boolean;
  notApprovableReason: string | null;
}

export interface WebhookDelivery {
  id: string;
  merchantId: string;
  transactionId: string;
  type: string;
  status: string;
  attemptCount: number;
  url: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  createdAt: string;
}

export interface AuditEntry {
  id: string;
  actor: { id: string; email: string | null } | null;
  action: string;
  target: { type: string; id: string };
  before: unknown;
  after: unknown;
  reason: string | null;
  requestId: string | null;
  at: string;
}

export interface PendingChange {
  id: string;
  kind: string;
  status: string;
  target: unknown;
  before: unknown;
  after: unknown;
  proposedBy: { id: string; email?: string } | string | null;
  expiresAt: string;
  [k: string]: unknown;
}

export interface Merchant {
  id: string;
  name: string;
  status: string;
  [k: string]: unknown;
}

export interface Dashboard {
  since: string;
  /** `amount`: minor units as exact integer text (a sum can pass 2^53). */
  volume: Array<{ provider: string | null; status: string; currency: string; count: number; amount: string }>;
  successRates: Array<{ provider: string | null; txType: string; successful: number; finished: number; rate: number | null }>;
  inconsistent: number;
  conflicts: number;
  oldestUnfinished: { id: string; status: string; createdAt: string; ageSeconds: number } | null;
  failedWebhooks: number;
  waitingApproval: number;
}

export interface StaffMember {
  id: string;
  email: string;
  roles: Array<'viewer' | 'operator' | 'approver' | 'admin'>;
  status: 'active' | 'disabled';
  totpEnabled: boolean;
  locked: boolean;
  createdAt: string;
}

export interface TotpEnrolment {
  secret: string;
  otpauthUrl: string;
}

export type Mismatch =
  | { kind: 'missing_in_payhub'; providerTxId: string | null; txId: string | null; providerStatus: string; amount: string; currency: string }
  | { kind: 'missing_at_provider'; txId: string; providerTxId: string | null; payhubStatus: string; amount: string; currency: string }
  | { kind: 'status_mismatch'; txId: string; providerTxId: string | null; payhubStatus: string; providerStatus: string }
  | { kind: 'amount_mismatch'; txId: string; providerTxId: string | null; payhub: string; provider: string; payhubCurrency: string; providerCurrency: string }
  | { kind: 'balance_mismatch'; currency: string; payhub: string; provider: string; difference: string };

export interface ReconciliationReport {
  id: string;
  date: string;
  merchantId: string;
  provider: string;
  account: string;
  status: 'matched' | 'mismatch' | 'unsupported' | 'error';
  providerTxCount: number;
  payhubTxCount: number;
  mismatchCount: number;
  balances: Array<{ currency: string; provider: string | null; payhub: string; difference: string | null }> | null;
  mismatches: Mismatch[] | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StatusSyncBacklog {
  scheduled: number;
  due: number;
  countCap: number;
  scheduledCapped: boolean;
  dueCapped: boolean;
  oldestDueAt: string | null;
  oldestDueAgeSeconds: number | null;
}

export interface QueueSummary {
  name: string;
  paused: boolean;
  counts: { waiting: number; active: number; delayed: number; failed: number; completed: number };
}

export interface QueueJob {
  id: string;
  queue: string;
  name: string;
  state: string;
  data: unknown;
  attemptsMade: number;
  attempts: number | null;
  failedReason: string | null;
  stacktrace: string | null;
  createdAt: string;
  processedAt: string | null;
  finishedAt: string | null;
  delayMs: number;
}
