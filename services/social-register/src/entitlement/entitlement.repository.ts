import type { AssignmentSnapshot } from '@eisss/contracts';
import type { Static } from '@sinclair/typebox';
import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';

export type Assignment = Static<typeof AssignmentSnapshot>;

export interface EntitlementRow {
  assignmentId: string;
  personId: string;
  role: 'recipient' | 'member';
  programmeCode: string;
  status: string;
  periodFrom: string;
  periodTo: string;
  assignmentVersion: number;
  katottg: string;
  months: { month: string; amountKopiyky: string; explanation: string }[];
  lastEvent: string;
  updatedAt: string;
}

export interface UseRow {
  paymentId: string;
  assignmentId: string;
  programmeCode: string;
  month: string;
  amountKopiyky: string;
  settledOn: string;
}

interface EntitlementDbRow {
  assignment_id: string;
  person_id: string;
  role: 'recipient' | 'member';
  programme_code: string;
  status: string;
  period_from: string;
  period_to: string;
  assignment_version: number;
  katottg: string;
  months: { month: string; amountKopiyky: string; explanation: string }[];
  last_event: string;
  updated_at: Date;
}

interface UseDbRow {
  payment_id: string;
  assignment_id: string;
  programme_code: string;
  month: string;
  amount_kopiyky: string;
  settled_on: string;
}

const toEntitlement = (r: EntitlementDbRow): EntitlementRow => ({
  assignmentId: r.assignment_id,
  personId: r.person_id,
  role: r.role,
  programmeCode: r.programme_code,
  status: r.status,
  periodFrom: r.period_from,
  periodTo: r.period_to,
  assignmentVersion: r.assignment_version,
  katottg: r.katottg,
  months: r.months,
  lastEvent: r.last_event,
  updatedAt: r.updated_at.toISOString(),
});

const toUse = (u: UseDbRow): UseRow => ({
  paymentId: u.payment_id,
  assignmentId: u.assignment_id,
  programmeCode: u.programme_code,
  month: u.month,
  amountKopiyky: u.amount_kopiyky,
  settledOn: u.settled_on,
});

@Injectable()
export class EntitlementRepository {
  constructor(private readonly db: TransactionHost) {}

  /**
   * Records an assignment version for its recipient and members. An older version than the one
   * held (events of one assignment arrive in order on its partition, but a replay may not) changes nothing.
   */
  async upsert(a: Assignment, lastEvent: string): Promise<void> {
    const people: [string, 'recipient' | 'member'][] = [
      [a.recipientPersonId, 'recipient'],
      ...a.memberPersonIds.filter((id) => id !== a.recipientPersonId).map((id) => [id, 'member'] as [string, 'member']),
    ];
    for (const [eventPersonId, role] of people) {
      // A person merged into another: the right belongs to the surviving record.
      const [survivor] = await this.db.query<{ merged_into: string | null }>(
        `SELECT merged_into FROM social_register.person WHERE id = $1`,
        [eventPersonId],
      );
      const personId: string = survivor?.merged_into ?? eventPersonId;
      await this.db.query(
        `INSERT INTO social_register.entitlement (assignment_id, person_id, role, programme_code, status, period_from, period_to, assignment_version, katottg, months, last_event)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (assignment_id, person_id) DO UPDATE SET
           role = EXCLUDED.role, programme_code = EXCLUDED.programme_code, status = EXCLUDED.status, period_from = EXCLUDED.period_from,
           period_to = EXCLUDED.period_to, assignment_version = EXCLUDED.assignment_version, katottg = EXCLUDED.katottg,
           months = EXCLUDED.months, last_event = EXCLUDED.last_event, updated_at = now()
         WHERE social_register.entitlement.assignment_version <= EXCLUDED.assignment_version`,
        [
          a.assignmentId,
          personId,
          role,
          a.programmeCode,
          a.status,
          a.periodFrom,
          a.periodTo,
          a.version,
          a.katottg,
          JSON.stringify(a.months),
          lastEvent,
        ],
      );
    }
  }

  /** Records a settled payment once (the payment id is the key). */
  async recordUse(u: UseRow & { personId: string }): Promise<void> {
    const [survivor] = await this.db.query<{ merged_into: string | null }>(`SELECT merged_into FROM social_register.person WHERE id = $1`, [
      u.personId,
    ]);
    if (survivor?.merged_into) u = { ...u, personId: survivor.merged_into };
    await this.db.query(
      `INSERT INTO social_register.entitlement_use (payment_id, assignment_id, person_id, programme_code, month, amount_kopiyky, settled_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (payment_id) DO NOTHING`,
      [u.paymentId, u.assignmentId, u.personId, u.programmeCode, u.month, u.amountKopiyky, u.settledOn],
    );
  }

  async ofPerson(personId: string): Promise<{ entitlements: EntitlementRow[]; uses: UseRow[] }> {
    const rows = await this.db.query<EntitlementDbRow>(
      `SELECT * FROM social_register.entitlement WHERE person_id = $1 ORDER BY period_from, assignment_id`,
      [personId],
    );
    const uses = await this.db.query<UseDbRow>(
      `SELECT payment_id, assignment_id, programme_code, month, amount_kopiyky::text AS amount_kopiyky, to_char(settled_on, 'YYYY-MM-DD') AS settled_on
         FROM social_register.entitlement_use WHERE person_id = $1 ORDER BY month, payment_id`,
      [personId],
    );
    return { entitlements: rows.map(toEntitlement), uses: uses.map(toUse) };
  }

  async person(id: string): Promise<{ id: string; katottg: string | null; actualKatottg: string | null } | null> {
    const [r] = await this.db.query<{ id: string; katottg: string | null; actual_katottg: string | null }>(
      `SELECT id, katottg, actual_katottg FROM social_register.person WHERE id = $1`,
      [id],
    );
    return r ? { id: r.id, katottg: r.katottg, actualKatottg: r.actual_katottg } : null;
  }
}
