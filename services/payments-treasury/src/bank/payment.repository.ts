import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { bulkIdPrefix, bulkIdSql } from '../shared/ids';

export interface BatchRow {
  id: string;
  payrollId: string;
  programmeCode: string;
  month: string;
  channel: 'bank' | 'post';
  mfo: string | null;
  messageId: string;
  paymentCount: number;
  totalKopiyky: string;
}

export interface PaymentRow {
  id: string;
  payrollId: string;
  assignmentId: string;
  recipientPersonId: string;
  programmeCode: string;
  month: string;
  katottg: string;
  amountKopiyky: string;
  method: 'bank' | 'post';
  iban: string | null;
  mfo: string | null;
  postcode: string | null;
  status: 'pending' | 'sent' | 'settled' | 'returned' | 'reissued';
  batchId: string | null;
  endToEndId: string;
  reissueOf: string | null;
  returnReasonCode: string | null;
  settledOn: string | null;
  returnedOn: string | null;
}

/** A pending payment in a sent batch is sent (sending stamps the batch, not each payment). */
const STATUS = `CASE WHEN p.status = 'pending' AND pb.sent_at IS NOT NULL THEN 'sent' ELSE p.status END`;
const PAYMENT_FROM = `payments_treasury.payment p LEFT JOIN payments_treasury.payment_batch pb ON pb.id = p.batch_id`;

const PAYMENT_COLUMNS = `p.id, p.payroll_id AS "payrollId", p.assignment_id AS "assignmentId", p.recipient_person_id AS "recipientPersonId",
  p.programme_code AS "programmeCode", p.month, p.katottg, p.amount_kopiyky::text AS "amountKopiyky", p.method, p.iban, p.mfo, p.postcode, ${STATUS} AS status,
  p.batch_id AS "batchId", p.end_to_end_id AS "endToEndId", p.reissue_of AS "reissueOf", p.return_reason_code AS "returnReasonCode",
  to_char(p.settled_on, 'YYYY-MM-DD') AS "settledOn", to_char(p.returned_on, 'YYYY-MM-DD') AS "returnedOn"`;

const BATCH_COLUMNS = `b.id, b.payroll_id AS "payrollId", r.programme_code AS "programmeCode", r.month, b.channel, b.mfo, b.message_id AS "messageId",
  b.payment_count AS "paymentCount", b.total_kopiyky::text AS "totalKopiyky"`;

/** Payments, batches (bank files and post lists) and imported statements. */
@Injectable()
export class PaymentRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  get db(): EntityManager {
    return this.dataSource.manager;
  }

  /**
   * One payment per payroll line with a positive net amount, to the assignment's current account,
   * grouped at once into unsent batches: one per bank (МФО of the IBAN) and one for the post (set-based).
   */
  async createForPayroll(tx: EntityManager, payrollId: string, programmeCode: string): Promise<{ count: number; total: string }> {
    await tx.query(
      `INSERT INTO payments_treasury.payment_batch (id, payroll_id, channel, mfo, message_id, payment_count, total_kopiyky)
       SELECT g.id, $1, g.method, g.mfo, 'PT' || replace(g.id::text, '-', ''), g.n, g.total
       FROM (SELECT gen_random_uuid() AS id, a.payment_method AS method, CASE WHEN a.payment_method = 'bank' THEN substr(a.iban, 5, 6) END AS mfo,
                    count(*)::int AS n, sum(l.net_kopiyky) AS total
             FROM payments_treasury.payroll_line l JOIN payments_treasury.assignment a ON a.assignment_id = l.assignment_id
             WHERE l.payroll_id = $1 AND l.net_kopiyky > 0
             GROUP BY 2, 3) g`,
      [payrollId],
    );
    await tx.query(
      `INSERT INTO payments_treasury.payment
         (id, payroll_id, assignment_id, recipient_person_id, programme_code, month, katottg, amount_kopiyky, method, iban, mfo, postcode, status, end_to_end_id, batch_id)
       SELECT x.id, $1, x.assignment_id, x.recipient_person_id, $2, x.month, x.katottg, x.net_kopiyky, x.payment_method, x.iban, x.mfo, x.postcode,
              'pending', replace(x.id::text, '-', ''), b.id
       FROM (SELECT ${bulkIdSql('$3', 'row_number() OVER (ORDER BY l.assignment_id)')} AS id, l.*, a.payment_method, a.iban, substr(a.iban, 5, 6) AS mfo, a.postcode
             FROM payments_treasury.payroll_line l JOIN payments_treasury.assignment a ON a.assignment_id = l.assignment_id
             WHERE l.payroll_id = $1 AND l.net_kopiyky > 0) x
       JOIN payments_treasury.payment_batch b ON b.payroll_id = $1 AND b.sent_at IS NULL AND b.channel = x.payment_method AND (b.channel = 'post' OR b.mfo = x.mfo)
       ORDER BY x.id`,
      [payrollId, programmeCode, bulkIdPrefix()],
    );
    const [r]: { count: number; total: string }[] = await tx.query(
      `SELECT count(*)::int AS count, coalesce(sum(amount_kopiyky), 0)::text AS total FROM payments_treasury.payment WHERE payroll_id = $1`,
      [payrollId],
    );
    return r!;
  }

  /**
   * Sends what is pending for a payroll: pending payments without a batch (re-issues) get batches per
   * bank and post first; then every unsent batch is stamped sent. Returns the batches sent now.
   */
  async createBatches(tx: EntityManager, payrollId: string, messagePrefix: string): Promise<BatchRow[]> {
    const created: { id: string }[] = await tx.query(
      `INSERT INTO payments_treasury.payment_batch (id, payroll_id, channel, mfo, message_id, payment_count, total_kopiyky)
       SELECT g.id, $1, g.method, g.mfo, $2 || replace(g.id::text, '-', ''), g.n, g.total
       FROM (SELECT gen_random_uuid() AS id, method, CASE WHEN method = 'bank' THEN mfo END AS mfo, count(*)::int AS n, sum(amount_kopiyky) AS total
             FROM payments_treasury.payment WHERE payroll_id = $1 AND status = 'pending' AND batch_id IS NULL
             GROUP BY method, CASE WHEN method = 'bank' THEN mfo END) g
       RETURNING id`,
      [payrollId, messagePrefix],
    );
    if (created.length > 0) {
      await tx.query(
        `UPDATE payments_treasury.payment p SET batch_id = b.id, updated_at = now()
         FROM payments_treasury.payment_batch b
         WHERE b.id = ANY($2::uuid[]) AND p.payroll_id = $1 AND p.status = 'pending' AND p.batch_id IS NULL
           AND p.method = b.channel AND (b.channel = 'post' OR p.mfo = b.mfo)`,
        [payrollId, created.map((c) => c.id)],
      );
    }
    // TypeORM returns [rows, count] for UPDATE … RETURNING.
    const [sent]: [{ id: string }[], number] = await tx.query(
      `UPDATE payments_treasury.payment_batch SET sent_at = now() WHERE payroll_id = $1 AND sent_at IS NULL AND payment_count > 0 RETURNING id`,
      [payrollId],
    );
    if (sent.length === 0) return [];
    return tx.query(`SELECT ${BATCH_COLUMNS} FROM payments_treasury.payment_batch b JOIN payments_treasury.payroll r ON r.id = b.payroll_id WHERE b.id = ANY($1::uuid[]) ORDER BY b.channel, b.mfo`, [sent.map((x) => x.id)]);
  }

  async batch(id: string): Promise<BatchRow | null> {
    const rows: BatchRow[] = await this.db.query(`SELECT ${BATCH_COLUMNS} FROM payments_treasury.payment_batch b JOIN payments_treasury.payroll r ON r.id = b.payroll_id WHERE b.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async batches(payrollId: string): Promise<BatchRow[]> {
    return this.db.query(`SELECT ${BATCH_COLUMNS} FROM payments_treasury.payment_batch b JOIN payments_treasury.payroll r ON r.id = b.payroll_id WHERE b.payroll_id = $1 ORDER BY b.created_at, b.channel, b.mfo`, [payrollId]);
  }

  /** Keyset pages of a batch's payments (for streaming files). */
  async *batchPages(batchId: string, pageSize = 5000): AsyncGenerator<PaymentRow[]> {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: PaymentRow[] = await this.db.query(`SELECT ${PAYMENT_COLUMNS} FROM ${PAYMENT_FROM} WHERE p.batch_id = $1 AND p.id > $2 ORDER BY p.id LIMIT $3`, [batchId, after, pageSize]);
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]!.id;
      if (rows.length < pageSize) return;
    }
  }

  async findById(db: Pick<EntityManager, 'query'>, id: string, lock = false): Promise<PaymentRow | null> {
    const rows: PaymentRow[] = await db.query(`SELECT ${PAYMENT_COLUMNS} FROM ${PAYMENT_FROM} WHERE p.id = $1${lock ? ' FOR UPDATE OF p' : ''}`, [id]);
    return rows[0] ?? null;
  }

  async findByEndToEndId(tx: EntityManager, e2e: string): Promise<PaymentRow | null> {
    const rows: PaymentRow[] = await tx.query(`SELECT ${PAYMENT_COLUMNS} FROM ${PAYMENT_FROM} WHERE p.end_to_end_id = $1 FOR UPDATE OF p`, [e2e]);
    return rows[0] ?? null;
  }

  async list(f: { payrollId?: string; assignmentId?: string; status?: string; territory: string; limit: number; offset: number }): Promise<{ items: PaymentRow[]; total: number }> {
    const where = `WHERE ($1::uuid IS NULL OR p.payroll_id = $1) AND ($2::uuid IS NULL OR p.assignment_id = $2) AND ($3::text IS NULL OR ${STATUS} = $3) AND p.katottg LIKE $4 || '%'`;
    const params = [f.payrollId ?? null, f.assignmentId ?? null, f.status ?? null, f.territory === 'UA' ? '' : f.territory];
    const items: PaymentRow[] = await this.db.query(`SELECT ${PAYMENT_COLUMNS} FROM ${PAYMENT_FROM} ${where} ORDER BY p.month, p.id LIMIT $5 OFFSET $6`, [...params, f.limit, f.offset]);
    const [{ total }]: { total: number }[] = await this.db.query(`SELECT count(*)::int AS total FROM ${PAYMENT_FROM} ${where}`, params);
    return { items, total };
  }

  async markSettled(tx: EntityManager, id: string, on: string): Promise<void> {
    await tx.query(`UPDATE payments_treasury.payment SET status = 'settled', settled_on = $2, updated_at = now() WHERE id = $1`, [id, on]);
  }

  async markReturned(tx: EntityManager, id: string, reasonCode: string, on: string): Promise<void> {
    await tx.query(`UPDATE payments_treasury.payment SET status = 'returned', return_reason_code = $2, returned_on = $3, updated_at = now() WHERE id = $1`, [id, reasonCode, on]);
  }

  /** A new pending payment for a returned one, to the corrected account; the original becomes `reissued`. */
  async reissue(tx: EntityManager, original: PaymentRow, newId: string, payment: { method: 'bank'; iban: string } | { method: 'post'; postcode: string }): Promise<void> {
    const iban = payment.method === 'bank' ? payment.iban : null;
    await tx.query(
      `INSERT INTO payments_treasury.payment
         (id, payroll_id, assignment_id, recipient_person_id, programme_code, month, katottg, amount_kopiyky, method, iban, mfo, postcode, status, end_to_end_id, reissue_of)
       SELECT $1::uuid, payroll_id, assignment_id, recipient_person_id, programme_code, month, katottg, amount_kopiyky, $3::text, $4::text, substr($4::text, 5, 6), $5::text, 'pending', replace($1::uuid::text, '-', ''), id
       FROM payments_treasury.payment WHERE id = $2`,
      [newId, original.id, payment.method, iban, payment.method === 'post' ? payment.postcode : null],
    );
    await tx.query(`UPDATE payments_treasury.payment SET status = 'reissued', updated_at = now() WHERE id = $1`, [original.id]);
  }

  async findStatement(tx: EntityManager, messageId: string, statementId: string): Promise<StatementSummary | null> {
    const rows: StatementSummary[] = await tx.query(
      `SELECT id, kind, message_id AS "messageId", statement_id AS "statementId", entry_count AS "entryCount", settled_count AS "settledCount",
              returned_count AS "returnedCount", unmatched_count AS "unmatchedCount"
       FROM payments_treasury.statement WHERE message_id = $1 AND statement_id = $2`,
      [messageId, statementId],
    );
    return rows[0] ?? null;
  }

  async insertStatement(tx: EntityManager, s: StatementSummary & { importedBy: string }, entries: StatementEntryRow[]): Promise<void> {
    await tx.query(
      `INSERT INTO payments_treasury.statement (id, message_id, statement_id, kind, entry_count, settled_count, returned_count, unmatched_count, imported_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [s.id, s.messageId, s.statementId, s.kind, s.entryCount, s.settledCount, s.returnedCount, s.unmatchedCount, s.importedBy],
    );
    if (entries.length === 0) return;
    await tx.query(
      `INSERT INTO payments_treasury.statement_entry (statement_id, seq, end_to_end_id, amount_kopiyky, direction, booking_date, return_reason_code, outcome, payment_id, note)
       SELECT $1, e.seq, e.e2e, e.amount::bigint, e.direction, e.booking::date, e.reason, e.outcome, e.payment::uuid, e.note
       FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
            AS e(seq, e2e, amount, direction, booking, reason, outcome, payment, note)`,
      [
        s.id,
        entries.map((e) => e.seq),
        entries.map((e) => e.endToEndId),
        entries.map((e) => e.amountKopiyky),
        entries.map((e) => e.direction),
        entries.map((e) => e.bookingDate),
        entries.map((e) => e.returnReasonCode),
        entries.map((e) => e.outcome),
        entries.map((e) => e.paymentId),
        entries.map((e) => e.note),
      ],
    );
  }

  async unmatched(limit: number, offset: number): Promise<{ items: (StatementEntryRow & { messageId: string; statementId: string })[]; total: number }> {
    const items = await this.db.query(
      `SELECT s.message_id AS "messageId", s.statement_id AS "statementId", e.seq, e.end_to_end_id AS "endToEndId", e.amount_kopiyky::text AS "amountKopiyky",
              e.direction, to_char(e.booking_date, 'YYYY-MM-DD') AS "bookingDate", e.return_reason_code AS "returnReasonCode", e.outcome, e.payment_id AS "paymentId", e.note
       FROM payments_treasury.statement_entry e JOIN payments_treasury.statement s ON s.id = e.statement_id
       WHERE e.outcome = 'unmatched' ORDER BY s.imported_at DESC, e.seq LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    const [{ total }]: { total: number }[] = await this.db.query(`SELECT count(*)::int AS total FROM payments_treasury.statement_entry WHERE outcome = 'unmatched'`);
    return { items, total };
  }
}

export interface StatementSummary {
  id: string;
  kind: 'camt.053' | 'camt.054';
  messageId: string;
  statementId: string;
  entryCount: number;
  settledCount: number;
  returnedCount: number;
  unmatchedCount: number;
}

export interface StatementEntryRow {
  seq: number;
  endToEndId: string | null;
  amountKopiyky: string;
  direction: 'DBIT' | 'CRDT';
  bookingDate: string | null;
  returnReasonCode: string | null;
  outcome: 'settled' | 'returned' | 'unmatched' | 'duplicate';
  paymentId: string | null;
  note: string | null;
}
