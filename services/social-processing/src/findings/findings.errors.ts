/** Codes of the findings module (a finding that cannot be acted on goes to the dead-letter topic with its code). */
export enum FindingErrorCode {
  DEATH_DATE_MISSING = 'DEATH_DATE_MISSING',
}
