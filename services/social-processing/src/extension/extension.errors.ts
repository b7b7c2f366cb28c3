export enum ExtensionErrorCode {
  /** The check date is later than today. */
  CHECK_DATE_IN_FUTURE = 'CHECK_DATE_IN_FUTURE',
}
