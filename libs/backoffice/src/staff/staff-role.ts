export const STAFF_ROLES = ['viewer', 'operator', 'approver', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** admin may do everything; every staff member may view. operator and approver are separate duties. */
export function hasRole(roles: readonly StaffRole[], required: StaffRole): boolean {
  if (roles.includes('admin')) return true;
  if (required === 'viewer') return roles.length > 0;
  return roles.includes(required);
}
