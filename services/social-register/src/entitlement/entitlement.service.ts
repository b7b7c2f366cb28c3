import { AuditLog, DomainError, type Principal } from '@eisss/platform';
import { assertCanSeePersonRecord } from '../common/access';
import { Injectable } from '@nestjs/common';
import { EntitlementErrorCode } from './entitlement.errors';
import { EntitlementRepository, type EntitlementRow, type UseRow } from './entitlement.repository';

export interface EntitlementView extends EntitlementRow {
  entitledKopiyky: string;
  paidKopiyky: string;
  payments: UseRow[];
}

/** Sums decimal-string kopiyky exactly. */
export function sumKopiyky(values: string[]): string {
  return values.reduce((acc, v) => acc + BigInt(v), 0n).toString();
}

@Injectable()
export class EntitlementService {
  constructor(
    private readonly entitlements: EntitlementRepository,
    private readonly audit: AuditLog,
  ) {}

  /** Per person: each right to support (assignment) with the amounts due and paid so far. */
  async ofPerson(
    principal: Principal,
    personId: string,
  ): Promise<{ personId: string; items: EntitlementView[]; unmatchedPayments: UseRow[] }> {
    const person = await this.entitlements.person(personId);
    if (!person) throw DomainError.notFound(EntitlementErrorCode.ENTITLEMENT_PERSON_NOT_FOUND, `person ${personId} not found`);
    assertCanSeePersonRecord(principal, personId, [person.katottg, person.actualKatottg]);
    await this.audit.recordRead(principal, 'person', [personId], 'entitlements');
    const { entitlements, uses } = await this.entitlements.ofPerson(personId);
    const items = entitlements.map((e) => {
      const payments = uses.filter((u) => u.assignmentId === e.assignmentId);
      return {
        ...e,
        entitledKopiyky: sumKopiyky(e.months.map((m) => m.amountKopiyky)),
        paidKopiyky: sumKopiyky(payments.map((u) => u.amountKopiyky)),
        payments,
      };
    });
    const known = new Set(entitlements.map((e) => e.assignmentId));
    return { personId, items, unmatchedPayments: uses.filter((u) => !known.has(u.assignmentId)) };
  }
}
