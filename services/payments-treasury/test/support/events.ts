import { AssignmentGrantedV1, type EventContract, type EventEnvelope, type PayloadOf } from '@eisss/contracts';
import { envelopeOf, produceRaw } from '@eisss/testing';

export { envelopeOf };

export async function publish(topicPrefix: string, contract: EventContract, envelope: EventEnvelope<unknown>): Promise<void> {
  await produceRaw(topicPrefix + contract.topic, [{ key: envelope.aggregateId, value: JSON.stringify(envelope), headers: { 'event-id': envelope.eventId, 'event-type': envelope.eventType } }]);
}

/** A valid Ukrainian IBAN at the bank `mfo` (ISO 13616 check digits). */
export function ibanAt(mfo: string, account: string): string {
  const bban = mfo + account.padStart(19, '0');
  const digits = (bban + 'UA00').replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = 98n - (BigInt(digits) % 97n);
  return `UA${String(check).padStart(2, '0')}${bban}`;
}

export type AssignmentPayload = PayloadOf<typeof AssignmentGrantedV1>;
export type Snapshot = AssignmentPayload['assignment'];

export function months(from: string, to: string, amountKopiyky: string, explanation = 'КМУ № 332 п. 4: 2 000 UAH for an adult'): Snapshot['months'] {
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
