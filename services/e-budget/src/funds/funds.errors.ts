/** Reasons of a rejected funds check (carried in e-budget.funds.rejected.v1). */
export enum FundsRejectionCode {
  APPROPRIATION_EXCEEDED = 'APPROPRIATION_EXCEEDED',
  NO_APPROPRIATION = 'NO_APPROPRIATION',
  PROGRAMME_UNKNOWN = 'PROGRAMME_UNKNOWN',
}
