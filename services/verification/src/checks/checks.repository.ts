import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';

export interface CheckRunRecord {
  runId: string;
  kind: 'current' | 'retrospective';
  month: string | null;
  personId: string | null;
  assignmentId: string | null;
  periodFrom: string;
  periodTo: string;
  territory: string;
  startedBy: string;
  personsChecked: number;
  findingsRaised: number;
  clientRequestId: string | null;
  createdAt: string;
}

interface RunRow {
  run_id: string;
  kind: 'current' | 'retrospective';
  month: string | null;
  person_id: string | null;
  assignment_id: string | null;
  period_from: string;
  period_to: string;
  territory: string;
  started_by: string;
  persons_checked: number;
  findings_raised: number;
  client_request_id: string | null;
  created_at: Date;
}

const toRun = (r: RunRow): CheckRunRecord => ({
  runId: r.run_id,
  kind: r.kind,
  month: r.month,
  personId: r.person_id,
  assignmentId: r.assignment_id,
  periodFrom: r.period_from,
  periodTo: r.period_to,
  territory: r.territory,
  startedBy: r.started_by,
  personsChecked: r.persons_checked,
  findingsRaised: r.findings_raised,
  clientRequestId: r.client_request_id,
  createdAt: r.created_at.toISOString(),
});

const RUN_COLUMNS = `run_id, kind, month, person_id, assignment_id, to_char(period_from, 'YYYY-MM-DD') AS period_from, to_char(period_to, 'YYYY-MM-DD') AS period_to,
  territory, started_by, persons_checked, findings_raised, client_request_id, created_at`;

@Injectable()
export class ChecksRepository {
  constructor(private readonly db: TransactionHost) {}

  async requestExists(requestId: string): Promise<boolean> {
    const row = await this.db.one<{ one: number }>(`SELECT 1 AS one FROM verification.verification_request WHERE request_id = $1`, [
      requestId,
    ]);
    return row !== undefined;
  }

  async insertRequest(r: {
    requestId: string;
    kind: string;
    applicationId: string | null;
    assignmentId: string | null;
    programmeCode: string;
    katottg: string;
    periodFrom: string;
    periodTo: string;
    personIds: string[];
    outcome: 'passed' | 'findings';
    checkedOn: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO verification.verification_request
         (request_id, kind, application_id, assignment_id, programme_code, katottg, period_from, period_to, person_ids, outcome, checked_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::uuid[], $10, $11)`,
      [
        r.requestId,
        r.kind,
        r.applicationId,
        r.assignmentId,
        r.programmeCode,
        r.katottg,
        r.periodFrom,
        r.periodTo,
        r.personIds,
        r.outcome,
        r.checkedOn,
      ],
    );
  }

  async runByClientRequestId(clientRequestId: string): Promise<CheckRunRecord | null> {
    const rows = await this.db.query<RunRow>(`SELECT ${RUN_COLUMNS} FROM verification.check_run WHERE client_request_id = $1`, [
      clientRequestId,
    ]);
    return rows[0] ? toRun(rows[0]) : null;
  }

  /** Serialises runs with the same client request id (the loser of a race waits, then finds the winner's run). */
  async lockClientRequestId(clientRequestId: string): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtext('verification.check_run:' || $1))`, [clientRequestId]);
  }

  async insertRun(r: Omit<CheckRunRecord, 'createdAt'>): Promise<CheckRunRecord> {
    const rows = await this.db.query<RunRow>(
      `INSERT INTO verification.check_run
         (run_id, kind, month, person_id, assignment_id, period_from, period_to, territory, started_by, persons_checked, findings_raised, client_request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${RUN_COLUMNS}`,
      [
        r.runId,
        r.kind,
        r.month,
        r.personId,
        r.assignmentId,
        r.periodFrom,
        r.periodTo,
        r.territory,
        r.startedBy,
        r.personsChecked,
        r.findingsRaised,
        r.clientRequestId,
      ],
    );
    return toRun(rows[0]!);
  }
}
