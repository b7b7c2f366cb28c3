export enum AssignmentErrorCode {
  ASSIGNMENT_NOT_FOUND = 'ASSIGNMENT_NOT_FOUND',
  ASSIGNMENT_NOT_ACTIVE = 'ASSIGNMENT_NOT_ACTIVE',
  ASSIGNMENT_NOT_SUSPENDED = 'ASSIGNMENT_NOT_SUSPENDED',
  ASSIGNMENT_TERMINATED = 'ASSIGNMENT_TERMINATED',
  MONTH_OUTSIDE_PERIOD = 'MONTH_OUTSIDE_PERIOD',
  RULE_SET_UNKNOWN = 'RULE_SET_UNKNOWN',
  EXTENSION_NOT_AVAILABLE = 'EXTENSION_NOT_AVAILABLE',
  EXTENSION_NOT_ELIGIBLE = 'EXTENSION_NOT_ELIGIBLE',
  /** The programme's act does not provide for a change of recipient on the same assignment. */
  RECIPIENT_CHANGE_NOT_AVAILABLE = 'RECIPIENT_CHANGE_NOT_AVAILABLE',
  /** The new recipient is not known to processing (not projected from the register). */
  RECIPIENT_UNKNOWN = 'RECIPIENT_UNKNOWN',
  RECIPIENT_DECEASED = 'RECIPIENT_DECEASED',
  /** The new recipient is already the recipient. */
  RECIPIENT_UNCHANGED = 'RECIPIENT_UNCHANGED',
  /** The new recipient is one of the children the assistance is for. */
  RECIPIENT_IS_CHILD = 'RECIPIENT_IS_CHILD',
  /** A migrated assignment (AssignmentMigratedV1) names a programme processing does not run. */
  MIGRATION_PROGRAMME_UNKNOWN = 'MIGRATION_PROGRAMME_UNKNOWN',
  /** A migrated assignment's monthly amount is not positive. */
  MIGRATION_AMOUNT_INVALID = 'MIGRATION_AMOUNT_INVALID',
  /** A migrated assignment's term ends before it starts, or is longer than processing takes over. */
  MIGRATION_PERIOD_INVALID = 'MIGRATION_PERIOD_INVALID',
  /** The recipient of a migrated assignment died (the register knows the death): it is not taken over. */
  MIGRATION_RECIPIENT_DECEASED = 'MIGRATION_RECIPIENT_DECEASED',
}
