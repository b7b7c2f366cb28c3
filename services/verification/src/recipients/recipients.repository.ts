import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import type { RecipientAssignment } from '../rules/rules';

export interface RecipientAssignmentRow extends RecipientAssignment {
  version: number;
  periodFrom: string;
  periodTo: string;
}

interface AssignmentDbRow {
  assignment_id: string;
  version: number;
  programme_code: string;
  recipient_person_id: string;
  member_person_ids: string[];
  katottg: string;
  period_from: string;
  period_to: string;
  status: RecipientAssignment['status'];
}

const toRow = (r: AssignmentDbRow): RecipientAssignmentRow => ({
  assignmentId: r.assignment_id,
  version: r.version,
  programmeCode: r.programme_code,
  recipientPersonId: r.recipient_person_id,
  memberPersonIds: r.member_person_ids,
  katottg: r.katottg,
  periodFrom: r.period_from,
  periodTo: r.period_to,
  status: r.status,
});

@Injectable()
export class RecipientsRepository {
  constructor(private readonly db: TransactionHost) {}

  /** Insert or update from an assignment event; an older version never overwrites a newer one. */
  async upsert(a: RecipientAssignmentRow, eventAt: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO verification.recipient_assignment
         (assignment_id, version, programme_code, recipient_person_id, member_person_ids, katottg, period_from, period_to, status, last_event_at)
       VALUES ($1, $2, $3, $4, $5::uuid[], $6, $7, $8, $9, $10)
       ON CONFLICT (assignment_id) DO UPDATE SET
         version = EXCLUDED.version, programme_code = EXCLUDED.programme_code, recipient_person_id = EXCLUDED.recipient_person_id,
         member_person_ids = EXCLUDED.member_person_ids, katottg = EXCLUDED.katottg, period_from = EXCLUDED.period_from,
         period_to = EXCLUDED.period_to, status = EXCLUDED.status, last_event_at = EXCLUDED.last_event_at
       WHERE (recipient_assignment.version, recipient_assignment.last_event_at) <= (EXCLUDED.version, EXCLUDED.last_event_at)`,
      [
        a.assignmentId,
        a.version,
        a.programmeCode,
        a.recipientPersonId,
        a.memberPersonIds,
        a.katottg,
        a.periodFrom,
        a.periodTo,
        a.status,
        eventAt,
      ],
    );
  }

  /**
   * One page (keyset by assignment id) of the active assignments in a territory whose period covers
   * the month: the monthly check's population.
   */
  async activeInMonth(
    territory: string,
    month: string,
    afterAssignmentId: string | null,
    limit: number,
  ): Promise<RecipientAssignmentRow[]> {
    const rows = await this.db.query<AssignmentDbRow>(
      `SELECT * FROM verification.recipient_assignment
        WHERE status = 'active' AND katottg LIKE $1 || '%' AND period_from <= $2 AND period_to >= $2
          AND ($3::uuid IS NULL OR assignment_id > $3::uuid)
        ORDER BY assignment_id
        LIMIT $4`,
      [territory, month, afterAssignmentId, limit],
    );
    return rows.map(toRow);
  }

  /** Every assignment (any status) in which any of the persons is the recipient or a member. */
  async ofPersons(personIds: string[]): Promise<RecipientAssignmentRow[]> {
    if (personIds.length === 0) return [];
    const rows = await this.db.query<AssignmentDbRow>(
      `SELECT * FROM verification.recipient_assignment
        WHERE recipient_person_id = ANY($1::uuid[]) OR member_person_ids && $1::uuid[]
        ORDER BY assignment_id`,
      [personIds],
    );
    return rows.map(toRow);
  }

  async findById(assignmentId: string): Promise<RecipientAssignmentRow | null> {
    const rows = await this.db.query<AssignmentDbRow>(`SELECT * FROM verification.recipient_assignment WHERE assignment_id = $1`, [
      assignmentId,
    ]);
    return rows[0] ? toRow(rows[0]) : null;
  }
}
