export enum EmploymentErrorCode {
  /** The check date is later than today (facts of the future are not known). */
  CHECK_DATE_IN_FUTURE = 'CHECK_DATE_IN_FUTURE',
}
