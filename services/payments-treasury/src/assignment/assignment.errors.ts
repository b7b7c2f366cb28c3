/**
 * Why an assignment event is refused (dead-lettered with this code, nothing stored): the sealed
 * account or holder does not open with the treasury's keys (unknown kid, tampered, sealed for another
 * field or another service), or the IBAN inside fails the mod-97 check.
 */
export enum AssignmentErrorCode {
  ASSIGNMENT_ACCOUNT_UNREADABLE = 'ASSIGNMENT_ACCOUNT_UNREADABLE',
  ASSIGNMENT_PAYEE_UNREADABLE = 'ASSIGNMENT_PAYEE_UNREADABLE',
  ASSIGNMENT_IBAN_INVALID = 'ASSIGNMENT_IBAN_INVALID',
}
