/**
 * The roles a token may carry, the same in every service. A token's `roles` claim must be an array
 * of these (anything else is refused at the edge); guards, services and tests use the names below,
 * so a typo does not compile.
 */
export const ROLES = [
  'registrar',
  'officer',
  'supervisor',
  'citizen',
  'system',
  'case-worker',
  'case-manager',
  'verifier',
  'treasurer',
  'budget-officer',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

export const Role = {
  Registrar: 'registrar',
  Officer: 'officer',
  Supervisor: 'supervisor',
  Citizen: 'citizen',
  System: 'system',
  CaseWorker: 'case-worker',
  CaseManager: 'case-manager',
  Verifier: 'verifier',
  Treasurer: 'treasurer',
  BudgetOfficer: 'budget-officer',
  /** Administers the system's own registers (DCI clients, keys); moves no money and reads no person by this role alone. */
  Admin: 'admin',
} as const satisfies Record<string, Role>;

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
