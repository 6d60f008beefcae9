import { CreateMerchants1795279155000 } from './1795279155000-CreateMerchants';
import { CreateTransactions1795279156000 } from './1795279156000-CreateTransactions';
import { CreateIdempotencyKeys1795279157000 } from './1795279157000-CreateIdempotencyKeys';
import { CreateStaffAndAuditLog1795279158000 } from './1795279158000-CreateStaffAndAuditLog';
import { CreateProviderConfigsAndRouting1795279159000 } from './1795279159000-CreateProviderConfigsAndRouting';
import { CreateCallbackInbox1795279160000 } from './1795279160000-CreateCallbackInbox';
import { CreateWebhookDeliveries1795279170000 } from './1795279170000-CreateWebhookDeliveries';
import { CreateStatusChecks1795279171000 } from './1795279171000-CreateStatusChecks';
import { CreateReconciliationReports1795279172000 } from './1795279172000-CreateReconciliationReports';
import { AddSettledAmount1795279180000 } from './1795279180000-AddSettledAmount';
import { RekeyIdempotencyFingerprints1795279201000 } from './1795279201000-RekeyIdempotencyFingerprints';
import { CheckRefundsAgainstSettledAmount1795279202000 } from './1795279202000-CheckRefundsAgainstSettledAmount';
import { AddStaffSecurity1795279301000 } from './1795279301000-AddStaffSecurity';
import { AddWebhookSecretRotation1795279501000 } from './1795279501000-AddWebhookSecretRotation';
import { CreateWebhookLanes1795279401000 } from './1795279401000-CreateWebhookLanes';
import { AddStatusSyncEnrolment1795279402000 } from './1795279402000-AddStatusSyncEnrolment';
import { AddMerchantWebhookEvents1795280100000 } from './1795280100000-AddMerchantWebhookEvents';

/** Every migration, in order. A new migration file is added here too. */
export const MIGRATIONS = [
  CreateMerchants1795279155000,
  CreateTransactions1795279156000,
  CreateIdempotencyKeys1795279157000,
  CreateStaffAndAuditLog1795279158000,
  CreateProviderConfigsAndRouting1795279159000,
  CreateCallbackInbox1795279160000,
  CreateWebhookDeliveries1795279170000,
  CreateStatusChecks1795279171000,
  CreateReconciliationReports1795279172000,
  AddSettledAmount1795279180000,
  RekeyIdempotencyFingerprints1795279201000,
  CheckRefundsAgainstSettledAmount1795279202000,
  AddStaffSecurity1795279301000,
  CreateWebhookLanes1795279401000,
  AddStatusSyncEnrolment1795279402000,
  AddWebhookSecretRotation1795279501000,
  AddMerchantWebhookEvents1795280100000,
];
