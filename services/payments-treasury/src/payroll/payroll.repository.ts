import { TransactionHost, type PageRequest } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { payrollEntriesInsert } from '../ledger/ledger.repository';
import { BULK_STATEMENT_SETTINGS } from '../shared/bulk';
import { bulkIdPrefix } from '../shared/ids';

export interface PayrollRow {
  id: string;
  programmeCode: string;
  month: string;
  status: 'submitted' | 'approved' | 'held' | 'exported';
  submissionId: string;
  reservationId: string | null;
  lineCount: number;
  accruedKopiyky: string;
  arrearsKopiyky: string;
  deductionsKopiyky: string;
  totalKopiyky: string;
  holdReasonCode: string | null;
  holdReason: string | null;
  clientRequestId: string | null;
  createdBy: string;
  createdAt: string;
  awaitingAccountCount: number;
}

/** A region's (oblast, КАТОТТГ prefix) lines and net total, as the funds check is told. */
export interface RegionTotal {
  region: string;
  lineCount: number;
  totalKopiyky: string;
}

export interface PayrollLineRow {
  assignmentId: string;
  assignmentVersion: number;
  recipientPersonId: string;
  katottg: string;
  month: string;
  accruedKopiyky: string;
  arrearsKopiyky: string;
  deductionKopiyky: string;
  netKopiyky: string;
  explanation: string;
}

const PAYROLL_COLUMNS = `id, programme_code AS "programmeCode", month, status, submission_id AS "submissionId", reservation_id AS "reservationId",
  line_count AS "lineCount", accrued_kopiyky::text AS "accruedKopiyky", arrears_kopiyky::text AS "arrearsKopiyky",
  deductions_kopiyky::text AS "deductionsKopiyky", total_kopiyky::text AS "totalKopiyky", hold_reason_code AS "holdReasonCode",
  hold_reason AS "holdReason", client_request_id AS "clientRequestId", created_by AS "createdBy", to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  (SELECT count(*)::int FROM payments_treasury.awaiting_account w WHERE w.payroll_id = payroll.id) AS "awaitingAccountCount"`;

/** A payroll is visible in a territory when it has lines there (every payroll for a national user). */
const VISIBLE = `($T = '' OR EXISTS (SELECT 1 FROM payments_treasury.payroll_line vl WHERE vl.payroll_id = payroll.id AND vl.katottg LIKE $T || '%'))`;
const visible = (param: string) => VISIBLE.replace(/\$T/g, param);

/** Payrolls and their lines; the accrual is one set-based INSERT … SELECT. */
@Injectable()
export class PayrollRepository {
  constructor(private readonly db: TransactionHost) {}

  /** Serialises runs of one programme and month until the transaction ends. */
  async lockPeriod(programmeCode: string, month: string): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtext('payroll:' || $1 || ':' || $2))`, [programmeCode, month]);
  }

  async findById(id: string, lock = false): Promise<PayrollRow | null> {
    const rows = await this.db.query<PayrollRow>(
      `SELECT ${PAYROLL_COLUMNS} FROM payments_treasury.payroll WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async findByClientRequestId(clientRequestId: string): Promise<PayrollRow | null> {
    const rows = await this.db.query<PayrollRow>(`SELECT ${PAYROLL_COLUMNS} FROM payments_treasury.payroll WHERE client_request_id = $1`, [
      clientRequestId,
    ]);
    return rows[0] ?? null;
  }

  async findByPeriod(programmeCode: string, month: string): Promise<PayrollRow | null> {
    const rows = await this.db.query<PayrollRow>(
      `SELECT ${PAYROLL_COLUMNS} FROM payments_treasury.payroll WHERE programme_code = $1 AND month = $2`,
      [programmeCode, month],
    );
    return rows[0] ?? null;
  }

  /** A payroll visible in the territory (`territoryPrefix` '' = national), or null. */
  async findVisible(id: string, territoryPrefix: string): Promise<PayrollRow | null> {
    const rows = await this.db.query<PayrollRow>(
      `SELECT ${PAYROLL_COLUMNS} FROM payments_treasury.payroll WHERE id = $1 AND ${visible('$2')}`,
      [id, territoryPrefix],
    );
    return rows[0] ?? null;
  }

  /** Whether the treasury holds any assignment of the programme (a payroll of an unknown programme is refused). */
  async programmeKnown(programmeCode: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM payments_treasury.assignment WHERE programme_code = $1 LIMIT 1`, [programmeCode]);
    return rows.length > 0;
  }

  async list(f: {
    programmeCode?: string;
    month?: string;
    status?: string;
    territoryPrefix: string;
    limit: number;
    offset: number;
    withTotal?: boolean;
  }): Promise<{ items: PayrollRow[]; total: number | null }> {
    const where = `WHERE ($1::text IS NULL OR programme_code = $1) AND ($2::text IS NULL OR month = $2) AND ($3::text IS NULL OR status = $3) AND ${visible('$4')}`;
    const params = [f.programmeCode ?? null, f.month ?? null, f.status ?? null, f.territoryPrefix];
    const items = await this.db.query<PayrollRow>(
      `SELECT ${PAYROLL_COLUMNS} FROM payments_treasury.payroll ${where} ORDER BY month DESC, programme_code LIMIT $5 OFFSET $6`,
      [...params, f.limit, f.offset],
    );
    const total = await this.db.total(f, `SELECT count(*)::int AS total FROM payments_treasury.payroll ${where}`, params);
    return { items, total };
  }

  async insert(p: {
    id: string;
    programmeCode: string;
    month: string;
    submissionId: string;
    clientRequestId: string | null;
    createdBy: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO payments_treasury.payroll (id, programme_code, month, status, submission_id, client_request_id, created_by) VALUES ($1, $2, $3, 'submitted', $4, $5, $6)`,
      [p.id, p.programmeCode, p.month, p.submissionId, p.clientRequestId, p.createdBy],
    );
  }

  /**
   * Accrues every active assignment of the programme for the month in one statement: the month's
   * amount of the current version, plus open arrears, minus the deduction of open overpayments (at
   * most `limitPercent` % of the monthly amount unless the recipient agreed), inserted as the
   * payroll's lines; in the same statement, from the lines it inserts, the ledger's accrual, arrears
   * and deduction entries (payrollEntriesInsert) and the payroll's control totals. Answers the
   * totals per region (oblast, КАТОТТГ prefix) for the funds check.
   */
  async accrue(
    payrollId: string,
    programmeCode: string,
    month: string,
    limitPercent: number,
  ): Promise<{ lineCount: number; regions: RegionTotal[] }> {
    await this.db.query(BULK_STATEMENT_SETTINGS);
    const regions = await this.db.query<RegionTotal & { lineCount: number }>(
      `WITH arr AS (
         SELECT assignment_id, sum(amount_kopiyky - settled_kopiyky) AS amount
         FROM payments_treasury.adjustment WHERE kind = 'arrears' AND settled_kopiyky < amount_kopiyky AND programme_code = $2 GROUP BY assignment_id),
       ov AS (
         SELECT assignment_id, sum(amount_kopiyky - settled_kopiyky) AS remaining, bool_or(voluntary) AS voluntary
         FROM payments_treasury.adjustment WHERE kind = 'overpayment' AND settled_kopiyky < amount_kopiyky AND programme_code = $2 GROUP BY assignment_id),
       base AS (
         SELECT a.assignment_id, a.version, a.recipient_person_id, a.katottg, m.amount_kopiyky AS accrued, m.explanation,
                coalesce(arr.amount, 0) AS arrears,
                LEAST(coalesce(ov.remaining, 0),
                      CASE WHEN ov.voluntary THEN m.amount_kopiyky + coalesce(arr.amount, 0) ELSE (m.amount_kopiyky * $4::bigint) / 100 END) AS deduction,
                ov.voluntary
         FROM payments_treasury.assignment a
         JOIN payments_treasury.assignment_month m ON m.assignment_id = a.assignment_id AND m.version = a.version AND m.month = $3
         LEFT JOIN arr ON arr.assignment_id = a.assignment_id
         LEFT JOIN ov ON ov.assignment_id = a.assignment_id
         WHERE a.programme_code = $2 AND (a.stop_from IS NULL OR a.stop_from > $3)),
       ins AS (
       INSERT INTO payments_treasury.payroll_line
         (payroll_id, assignment_id, assignment_version, recipient_person_id, katottg, month, accrued_kopiyky, arrears_kopiyky, deduction_kopiyky, net_kopiyky, explanation)
       SELECT $1, assignment_id, version, recipient_person_id, katottg, $3, accrued, arrears, deduction, accrued + arrears - deduction,
              explanation
              || CASE WHEN arrears > 0 THEN '; arrears ' || arrears || ' kopiyky from recalculations' ELSE '' END
              || CASE WHEN deduction > 0 THEN '; overpayment deduction ' || deduction || ' kopiyky ('
                   || CASE WHEN voluntary THEN 'voluntary, recipient consent' ELSE 'rule: at most ' || $4 || ' % of the monthly amount without consent' END || ')' ELSE '' END
       FROM base
       ORDER BY assignment_id
       RETURNING recipient_person_id, assignment_id, month, katottg, accrued_kopiyky, arrears_kopiyky, deduction_kopiyky, net_kopiyky),
       entries AS (${payrollEntriesInsert('ins', '$1', '$2', '$5')}),
       totals AS (
         UPDATE payments_treasury.payroll p SET line_count = t.n, accrued_kopiyky = t.accrued, arrears_kopiyky = t.arrears,
           deductions_kopiyky = t.deductions, total_kopiyky = t.net, updated_at = now()
         FROM (SELECT count(*)::int AS n, coalesce(sum(accrued_kopiyky), 0) AS accrued, coalesce(sum(arrears_kopiyky), 0) AS arrears,
                      coalesce(sum(deduction_kopiyky), 0) AS deductions, coalesce(sum(net_kopiyky), 0) AS net FROM ins) t
         WHERE p.id = $1)
       SELECT left(katottg, 4) AS region, count(*)::int AS "lineCount", sum(net_kopiyky)::text AS "totalKopiyky" FROM ins GROUP BY 1 ORDER BY 1`,
      [payrollId, programmeCode, month, limitPercent, bulkIdPrefix()],
    );
    return { lineCount: regions.reduce((n, r) => n + r.lineCount, 0), regions };
  }

  /**
   * Fresh statistics of the lines, in the accrual's transaction: the statements that follow over the
   * payroll's lines (ledger, payments, batches) are planned for a million rows, not for the
   * default estimate of a table nobody has analysed since the lines were inserted.
   */
  async analyzeLines(): Promise<void> {
    await this.db.query(`ANALYZE payments_treasury.payroll_line`);
  }

  /** Marks the arrears paid and allocates the deductions to open overpayments, oldest first (set-based). */
  async settleAdjustments(payrollId: string): Promise<void> {
    await this.db.query(
      `UPDATE payments_treasury.adjustment a SET settled_kopiyky = a.amount_kopiyky
       FROM payments_treasury.payroll_line l
       WHERE l.payroll_id = $1 AND l.arrears_kopiyky > 0 AND a.assignment_id = l.assignment_id AND a.kind = 'arrears' AND a.settled_kopiyky < a.amount_kopiyky`,
      [payrollId],
    );
    await this.db.query(
      `WITH open AS (
         SELECT a.id, l.deduction_kopiyky AS deduction, a.amount_kopiyky - a.settled_kopiyky AS remaining,
                sum(a.amount_kopiyky - a.settled_kopiyky) OVER (PARTITION BY a.assignment_id ORDER BY a.created_at, a.id) AS cum
         FROM payments_treasury.adjustment a
         JOIN payments_treasury.payroll_line l ON l.payroll_id = $1 AND l.assignment_id = a.assignment_id AND l.deduction_kopiyky > 0
         WHERE a.kind = 'overpayment' AND a.settled_kopiyky < a.amount_kopiyky)
       UPDATE payments_treasury.adjustment a
       SET settled_kopiyky = a.settled_kopiyky + LEAST(o.remaining, GREATEST(0, o.deduction - (o.cum - o.remaining)))
       FROM open o WHERE o.id = a.id AND o.deduction > o.cum - o.remaining`,
      [payrollId],
    );
  }

  /** Control totals of the lines, written on the payroll; regions by oblast (КАТОТТГ prefix). */
  async computeTotals(payrollId: string): Promise<{ regions: RegionTotal[] }> {
    await this.db.query(
      `UPDATE payments_treasury.payroll p SET line_count = t.n, accrued_kopiyky = t.accrued, arrears_kopiyky = t.arrears,
         deductions_kopiyky = t.deductions, total_kopiyky = t.net, updated_at = now()
       FROM (SELECT count(*)::int AS n, coalesce(sum(accrued_kopiyky), 0) AS accrued, coalesce(sum(arrears_kopiyky), 0) AS arrears,
                    coalesce(sum(deduction_kopiyky), 0) AS deductions, coalesce(sum(net_kopiyky), 0) AS net
             FROM payments_treasury.payroll_line WHERE payroll_id = $1) t
       WHERE p.id = $1`,
      [payrollId],
    );
    const regions = await this.db.query<RegionTotal>(
      `SELECT left(katottg, 4) AS region, count(*)::int AS "lineCount", sum(net_kopiyky)::text AS "totalKopiyky"
       FROM payments_treasury.payroll_line WHERE payroll_id = $1 GROUP BY 1 ORDER BY 1`,
      [payrollId],
    );
    return { regions };
  }

  async setStatus(
    id: string,
    s: {
      status: PayrollRow['status'];
      reservationId?: string | null;
      holdReasonCode?: string | null;
      holdReason?: string | null;
      submissionId?: string;
    },
  ): Promise<void> {
    await this.db.query(
      `UPDATE payments_treasury.payroll SET status = $2,
         reservation_id = CASE WHEN $3::boolean THEN $4::uuid ELSE reservation_id END,
         hold_reason_code = CASE WHEN $5::boolean THEN $6 ELSE hold_reason_code END,
         hold_reason = CASE WHEN $5::boolean THEN $7 ELSE hold_reason END,
         submission_id = coalesce($8::uuid, submission_id), updated_at = now()
       WHERE id = $1`,
      [
        id,
        s.status,
        s.reservationId !== undefined,
        s.reservationId ?? null,
        s.holdReasonCode !== undefined,
        s.holdReasonCode ?? null,
        s.holdReason ?? null,
        s.submissionId ?? null,
      ],
    );
  }

  async lines(payrollId: string, prefix: string, page: PageRequest): Promise<{ items: PayrollLineRow[]; total: number | null }> {
    const items = await this.db.query<PayrollLineRow>(
      `SELECT assignment_id AS "assignmentId", assignment_version AS "assignmentVersion", recipient_person_id AS "recipientPersonId", katottg, month,
              accrued_kopiyky::text AS "accruedKopiyky", arrears_kopiyky::text AS "arrearsKopiyky", deduction_kopiyky::text AS "deductionKopiyky",
              net_kopiyky::text AS "netKopiyky", explanation
       FROM payments_treasury.payroll_line WHERE payroll_id = $1 AND katottg LIKE $2 || '%' ORDER BY assignment_id LIMIT $3 OFFSET $4`,
      [payrollId, prefix, page.limit, page.offset],
    );
    const total = await this.db.total(
      page,

      `SELECT count(*)::int AS total FROM payments_treasury.payroll_line WHERE payroll_id = $1 AND katottg LIKE $2 || '%'`,
      [payrollId, prefix],
    );
    return { items, total };
  }
}
