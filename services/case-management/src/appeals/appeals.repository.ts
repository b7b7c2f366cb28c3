import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';

export type AppealOutcome = 'upheld' | 'dismissed';

export interface AppealRef {
  id: string;
  caseId: string;
  subject: string;
  status: string;
}

export interface AppealRecord {
  id: string;
  subject: string;
  reason: string;
  filedBy: string;
  filedAt: string;
  status: string;
  reviewerId: string | null;
  resolution: string | null;
  reviewedAt: string | null;
}

interface AppealRefRow {
  id: string;
  case_id: string;
  subject: string;
  status: string;
}

interface AppealRow {
  id: string;
  subject: string;
  reason: string;
  filed_by: string;
  filed_at: Date | string;
  status: string;
  reviewer_id: string | null;
  resolution: string | null;
  reviewed_at: Date | string | null;
}

/** The SQL of appeals against a case's decisions. */
@Injectable()
export class AppealsRepository {
  constructor(private readonly db: TransactionHost) {}

  async insertAppeal(a: { id: string; caseId: string; subject: string; reason: string; filedBy: string }): Promise<void> {
    await this.db.query(`INSERT INTO case_management.appeal (id, case_id, subject, reason, filed_by) VALUES ($1,$2,$3,$4,$5)`, [
      a.id,
      a.caseId,
      a.subject,
      a.reason,
      a.filedBy,
    ]);
  }

  /** The appeal, locked for its review until the transaction ends. */
  async lockAppeal(id: string): Promise<AppealRef | null> {
    this.db.assertActive('locking an appeal');
    const row = await this.db.one<AppealRefRow>(
      `SELECT id, case_id, subject, status FROM case_management.appeal WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return row ? { id: row.id, caseId: row.case_id, subject: row.subject, status: row.status } : null;
  }

  async resolveAppeal(id: string, outcome: AppealOutcome, reviewerId: string, resolution: string): Promise<void> {
    await this.db.query(
      `UPDATE case_management.appeal SET status = $2, reviewer_id = $3, resolution = $4, reviewed_at = now() WHERE id = $1`,
      [id, outcome, reviewerId, resolution],
    );
  }

  async appealsOf(caseId: string): Promise<AppealRecord[]> {
    const rows = await this.db.query<AppealRow>(
      `SELECT id, subject, reason, filed_by, filed_at, status, reviewer_id, resolution, reviewed_at FROM case_management.appeal WHERE case_id = $1 ORDER BY filed_at`,
      [caseId],
    );
    return rows.map((r) => ({
      id: r.id,
      subject: r.subject,
      reason: r.reason,
      filedBy: r.filed_by,
      filedAt: new Date(r.filed_at).toISOString(),
      status: r.status,
      reviewerId: r.reviewer_id,
      resolution: r.resolution,
      reviewedAt: r.reviewed_at ? new Date(r.reviewed_at).toISOString() : null,
    }));
  }
}
