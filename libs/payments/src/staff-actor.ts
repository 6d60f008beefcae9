import type { StaffPrincipal } from '@payhub/backoffice';

/** A back-office user acting through an HTTP request: who, and the request id the audit row carries. */
export interface StaffActor {
  staff: StaffPrincipal;
  requestId: string | null;
}
