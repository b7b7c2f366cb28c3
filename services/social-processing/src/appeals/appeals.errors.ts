export enum AppealErrorCode {
  APPEAL_NOT_FOUND = 'APPEAL_NOT_FOUND',
  /** Neither applicationId nor assignmentId, or both. */
  APPEAL_TARGET_REQUIRED = 'APPEAL_TARGET_REQUIRED',
  /** The application, its decision on the programme, the assignment or its version does not exist. */
  APPEAL_DECISION_NOT_FOUND = 'APPEAL_DECISION_NOT_FOUND',
  /** The decision is not taken yet (awaiting verification, an officer or approval): nothing to appeal. */
  APPEAL_DECISION_NOT_FINAL = 'APPEAL_DECISION_NOT_FINAL',
  /** A version that only carries the register's account (appealed in the register, not here). */
  APPEAL_NOT_A_BENEFIT_DECISION = 'APPEAL_NOT_A_BENEFIT_DECISION',
  APPEAL_PROGRAMME_MISMATCH = 'APPEAL_PROGRAMME_MISMATCH',
  /** A citizen may appeal only a decision about themselves (applicant or recipient). */
  APPEAL_NOT_YOUR_DECISION = 'APPEAL_NOT_YOUR_DECISION',
  /** A citizen appeals through Diia; staff record appeals received at a ЦНАП or an office. */
  APPEAL_CHANNEL_NOT_ALLOWED = 'APPEAL_CHANNEL_NOT_ALLOWED',
  APPEAL_ALREADY_OPEN = 'APPEAL_ALREADY_OPEN',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  APPEAL_ALREADY_REVIEWED = 'APPEAL_ALREADY_REVIEWED',
  /** The person who took (or approved) the appealed decision may not review the appeal. */
  APPEAL_REVIEWER_DECIDED = 'APPEAL_REVIEWER_DECIDED',
  /** The appellant (or the staff member who filed it) may not review the appeal. */
  APPEAL_REVIEWER_IS_APPELLANT = 'APPEAL_REVIEWER_IS_APPELLANT',
  /** Upheld, but the programme's rules still refuse (a rule's reason is lifted only by corrected facts). */
  APPEAL_RULES_STILL_REFUSE = 'APPEAL_RULES_STILL_REFUSE',
  /** Upheld, but a reason of the refusal (a finding, an officer's reason) is not disregarded by the reviewer. */
  APPEAL_REFUSAL_STANDS = 'APPEAL_REFUSAL_STANDS',
  /** Upheld, but the re-decision changes nothing (give the corrected facts). */
  APPEAL_NOTHING_TO_CHANGE = 'APPEAL_NOTHING_TO_CHANGE',
  /** The decision changed since the appeal was filed (e.g. a refusal was already re-decided). */
  APPEAL_DECISION_CHANGED = 'APPEAL_DECISION_CHANGED',
  /** A person of the re-decided grant already holds the benefit through another assignment. */
  APPEAL_BENEFIT_ALREADY_ASSIGNED = 'APPEAL_BENEFIT_ALREADY_ASSIGNED',
  /** A correction names a person who is not in the decision's facts. */
  APPEAL_CORRECTION_PERSON_UNKNOWN = 'APPEAL_CORRECTION_PERSON_UNKNOWN',
}
