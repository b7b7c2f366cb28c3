import { AssignmentGrantedV2, type EventContract, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import type { PlainAccount, PlainPayee } from '@eisss/platform';
import { envelopeOf, produceRaw, sealedAccount, sealedPayee } from '@eisss/testing';

export { envelopeOf };

export async function publish(topicPrefix: string, contract: EventContract, envelope: EventEnvelope<unknown>): Promise<void> {
  await produceRaw(topicPrefix + contract.topic, [
    {
      key: envelope.aggregateId,
      value: JSON.stringify(envelope),
      headers: { 'event-id': envelope.eventId, 'event-type': envelope.eventType },
    },
  ]);
}

/** A valid Ukrainian IBAN at the bank `mfo` (ISO 13616 check digits). */
export function ibanAt(mfo: string, account: string): string {
  const bban = mfo + account.padStart(19, '0');
  const digits = (bban + 'UA00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = 98n - (BigInt(digits) % 97n);
  return `UA${String(check).padStart(2, '0')}${bban}`;
}

/** An assignment event's payload as processing publishes it: the account and its holder sealed for the treasury. */
export type SealedAssignmentPayload = PayloadOf<typeof AssignmentGrantedV2>;
type SealedSnapshot = SealedAssignmentPayload['assignment'];

/** The same with the account and holder plain (as the test writes them; sealed by `sealedPayload` before publishing). */
export type Snapshot = Omit<SealedSnapshot, 'payment' | 'payee'> & { payment: PlainAccount | null; payee: PlainPayee | null };
export type AssignmentPayload = Omit<SealedAssignmentPayload, 'assignment'> & { assignment: Snapshot };

/** Seals the account and the holder for the treasury, as the register does (sealedAccount / sealedPayee of @eisss/testing). */
export async function sealedPayload(p: AssignmentPayload): Promise<SealedAssignmentPayload> {
  return {
    ...p,
    assignment: { ...p.assignment, payment: await sealedAccount(p.assignment.payment), payee: await sealedPayee(p.assignment.payee) },
  };
}

/** The envelope of an assignment event with its account sealed (aggregate: the assignment). */
export async function assignmentEnvelope<C extends EventContract>(contract: C, p: AssignmentPayload): Promise<EventEnvelope<PayloadOf<C>>> {
  return envelopeOf(contract, (await sealedPayload(p)) as PayloadOf<C>, p.assignment.assignmentId);
}

export function months(
  from: string,
  to: string,
  amountKopiyky: string,
  explanation = 'КМУ № 332 п. 4: 2 000 UAH for an adult',
): Snapshot['months'] {
  const out: Snapshot['months'] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    out.push({ month, amountKopiyky, explanation });
    if (month === to) return out;
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
}

export function snapshot(over: Partial<Snapshot> & Pick<Snapshot, 'assignmentId' | 'recipientPersonId' | 'payment'>): Snapshot {
  return {
    version: 1,
    applicationId: null,
    programmeCode: 'idp-living-allowance',
    ruleSetVersion: 'idp-living-allowance@2024-03-01',
    householdId: null,
    memberPersonIds: [over.recipientPersonId],
    katottg: 'UA80000000000093317',
    periodFrom: '2026-11',
    periodTo: '2027-04',
    status: 'active',
    months: months('2026-11', '2027-04', '200000'),
    payee: { fullName: 'Отримувач Тестовий', rnokpp: '3296909324', documentNumber: null },
    ...over,
  };
}
