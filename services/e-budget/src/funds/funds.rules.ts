import { FundsRejectionCode } from './funds.errors';

const uah = (k: bigint) => `${k / 100n}.${String((k < 0n ? -k : k) % 100n).padStart(2, '0')} UAH`;

export type FundsDecision =
  { outcome: 'reserved'; availableAfter: bigint } | { outcome: 'rejected'; reasonCode: FundsRejectionCode; reason: string };

/** The funds check: the payroll fits what is left of the month's appropriation after earlier reservations. */
export function decideFunds(input: {
  programmeKnown: boolean;
  programmeCode: string;
  month: string;
  appropriation: bigint | null;
  reserved: bigint;
  requested: bigint;
}): FundsDecision {
  const { programmeCode, month, requested } = input;
  if (!input.programmeKnown)
    return {
      outcome: 'rejected',
      reasonCode: FundsRejectionCode.PROGRAMME_UNKNOWN,
      reason: `programme ${programmeCode} is not in the budget classification`,
    };
  if (input.appropriation === null)
    return {
      outcome: 'rejected',
      reasonCode: FundsRejectionCode.NO_APPROPRIATION,
      reason: `no appropriation of ${programmeCode} for ${month}`,
    };
  const available = input.appropriation - input.reserved;
  if (requested > available) {
    return {
      outcome: 'rejected',
      reasonCode: FundsRejectionCode.APPROPRIATION_EXCEEDED,
      reason: `payroll ${uah(requested)} exceeds the available appropriation ${uah(available)} of ${programmeCode} for ${month} (plan ${uah(input.appropriation)}, already reserved ${uah(input.reserved)})`,
    };
  }
  return { outcome: 'reserved', availableAfter: available - requested };
}
