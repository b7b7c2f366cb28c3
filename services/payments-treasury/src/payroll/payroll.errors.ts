export enum PayrollErrorCode {
  PAYROLL_NOT_FOUND = 'PAYROLL_NOT_FOUND',
  PAYROLL_EXISTS = 'PAYROLL_EXISTS',
  PAYROLL_NOT_HELD = 'PAYROLL_NOT_HELD',
  PAYROLL_NOT_APPROVED = 'PAYROLL_NOT_APPROVED',
  PAYROLL_FORBIDDEN_TERRITORY = 'PAYROLL_FORBIDDEN_TERRITORY',
  /** The treasury holds no assignment of the programme: there is nothing to accrue (a typo or an unknown programme). */
  PAYROLL_PROGRAMME_UNKNOWN = 'PAYROLL_PROGRAMME_UNKNOWN',
}
