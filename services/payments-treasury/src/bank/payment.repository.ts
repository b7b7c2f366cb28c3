import type { Principal } from '@eisss/platform';
import { TransactionHost, currentCorrelationId, type PageRequest } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { BULK_SORT_SETTINGS, BULK_STATEMENT_SETTINGS } from '../shared/bulk';
import { bulkIdPrefix } from '../shared/ids';

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
  /** `UA21*********************6001`: the only form of the IBAN outside the bank file. */
  ibanMasked: string | null;
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
  p.programme_code AS "programmeCode", p.month, p.katottg, p.amount_kopiyky::text AS "amountKopiyky", p.method, p.iban_masked AS "ibanMasked", p.mfo, p.postcode, ${STATUS} AS status,
  p.batch_id AS "batchId", p.end_to_end_id AS "endToEndId", p.reissue_of AS "reissueOf", p.return_reason_code AS "returnReasonCode",
  to_char(p.settled_on, 'YYYY-MM-DD') AS "settledOn", to_char(p.returned_on, 'YYYY-MM-DD') AS "returnedOn"`;

/**
 * A payment of a batch file with the account and its holder (pain.001 CdtrAcct, Cdtr; the post list's
 * postcode): the IBAN, РНОКПП and document number as stored, encrypted (decrypted only while the file
 * is written). Only the columns a file needs, read page by page.
 */
export interface FilePaymentRow {
  id: string;
  endToEndId: string;
  amountKopiyky: string;
  programmeCode: string;
  month: string;
  postcode: string | null;
  ibanEnc: string | null;
  payeeFullName: string | null;
  payeeRnokppEnc: string | null;
  payeeDocumentNumberEnc: string | null;
}

const FILE_COLUMNS = `p.id, p.end_to_end_id AS "endToEndId", p.amount_kopiyky::text AS "amountKopiyky", p.programme_code AS "programmeCode", p.month,
  p.postcode, p.iban_enc AS "ibanEnc", p.payee_full_name AS "payeeFullName", p.payee_rnokpp_enc AS "payeeRnokppEnc",
  p.payee_document_number_enc AS "payeeDocumentNumberEnc"`;

/** The account columns copied from the assignment copy onto a payment (ciphertexts as they are: their AAD is the field name only). */
const ACCOUNT_COPY = [
  'iban_enc',
  'iban_masked',
  'mfo',
  'postcode',
  'payee_full_name',
  'payee_rnokpp_enc',
  'payee_document_number_enc',
] as const;
const ACCOUNT_COPY_COLUMNS = ACCOUNT_COPY.join(', ');
const accountCopyOf = (alias: string) => ACCOUNT_COPY.map((c) => `${alias}.${c}`).join(', ');

/**
 * The assignment copy has an account the treasury may pay (the register's approved one): a postcode,
 * or an IBAN with its holder's name and РНОКПП or document number (the bank checks them).
 */
export const PAYABLE = `((a.payment_method = 'post' AND a.postcode IS NOT NULL)
  OR (a.payment_method = 'bank' AND a.iban_enc IS NOT NULL AND a.mfo IS NOT NULL AND a.payee_full_name IS NOT NULL
      AND (a.payee_rnokpp_enc IS NOT NULL OR a.payee_document_number_enc IS NOT NULL)))`;

const BATCH_COLUMNS = `b.id, b.payroll_id AS "payrollId", r.programme_code AS "programmeCode", r.month, b.channel, b.mfo, b.message_id AS "messageId",
  b.payment_count AS "paymentCount", b.total_kopiyky::text AS "totalKopiyky"`;

/** Payments, batches (bank files and post lists) and imported statements. */
@Injectable()
export class PaymentRepository {
  constructor(private readonly db: TransactionHost) {}

  /**
   * One payment per payroll line with a positive net amount, to the assignment's current account,
   * grouped at once into unsent batches: one per bank (the МФО stored beside the encrypted IBAN) and
   * one for the post (set-based; the account columns are copied encrypted, no IBAN is read).
   * One pass over the lines, in one statement: the payments are numbered in the order of their bank
   * (one sort), so that each batch's payments lie together in the table and its file is read from
   * consecutive pages; a bank's batch id is a random 64-bit prefix of the statement and the 64-bit hash
   * of its МФО (hashtextextended: no second window over the sorted rows and no md5 a payment, which cost
   * 1.5 s a million; a collision of two banks' hashes would fail the batch's primary key), and the batches with
   * their counts and control sums are aggregated from the inserted payments (the foreign key of a
   * payment to its batch is checked at the statement's end). A line whose assignment has no account
   * is accrued but not paid: it waits in `awaiting_account`.
   */
  async createForPayroll(payrollId: string, programmeCode: string): Promise<{ count: number; total: string; awaitingAccount: number }> {
    // The payments are sorted by bank with their account columns: in memory (one sort of the payroll's payments).
    await this.db.query(BULK_SORT_SETTINGS);
    // The batch a payment goes in: its bank's МФО, or '' for the post (a bank payment always has a МФО,
    // see PAYABLE); one key, compared bytewise (memcmp, not the locale).
    const bankKey = `(CASE WHEN a.payment_method = 'bank' THEN a.mfo::text ELSE '' END)`;
    const bank = `${bankKey} COLLATE "C"`;
    // A payment's id is bulkIdSql's (the prefix and its row number in 12 hex digits) and its EndToEndId
    // the same digits without hyphens, from the one number text.
    const prefix = bulkIdPrefix();
    const [created] = await this.db.query<{ count: number; total: string }>(
      `WITH p AS (
         INSERT INTO payments_treasury.payment
           (id, payroll_id, assignment_id, recipient_person_id, programme_code, month, katottg, amount_kopiyky, method, status, end_to_end_id, batch_id, ${ACCOUNT_COPY_COLUMNS})
         SELECT ($3::text || x.n)::uuid, $1, x.assignment_id, x.recipient_person_id, $2, x.month, x.katottg, x.net_kopiyky, x.payment_method,
                'pending', $5::text || x.n, x.batch_id, ${accountCopyOf('x')}
         FROM (SELECT lpad(to_hex(row_number() OVER (ORDER BY ${bank}, l.assignment_id)), 12, '0') AS n,
                      ($4::text || lpad(to_hex(hashtextextended(${bankKey}, 0)), 16, '0'))::uuid AS batch_id,
                      l.assignment_id, l.recipient_person_id, l.month, l.katottg, l.net_kopiyky, a.payment_method, ${accountCopyOf('a')}
               FROM payments_treasury.payroll_line l JOIN payments_treasury.assignment a ON a.assignment_id = l.assignment_id
               WHERE l.payroll_id = $1 AND l.net_kopiyky > 0 AND ${PAYABLE}) x
         RETURNING batch_id, method, CASE WHEN method = 'bank' THEN mfo END AS mfo, amount_kopiyky),
       b AS (
         INSERT INTO payments_treasury.payment_batch (id, payroll_id, channel, mfo, message_id, payment_count, total_kopiyky)
         SELECT batch_id, $1, method, mfo, 'PT' || replace(batch_id::text, '-', ''), count(*)::int, sum(amount_kopiyky)
         FROM p GROUP BY batch_id, method, mfo
         RETURNING payment_count, total_kopiyky)
       SELECT coalesce(sum(payment_count), 0)::int AS count, coalesce(sum(total_kopiyky), 0)::text AS total FROM b`,
      [payrollId, programmeCode, prefix, bulkIdPrefix().slice(0, 19), prefix.replace(/-/g, '')],
    );
    const [waiting] = await this.db.query<{ n: number }>(
      `WITH w AS (
         INSERT INTO payments_treasury.awaiting_account (payroll_id, assignment_id)
         SELECT l.payroll_id, l.assignment_id
         FROM payments_treasury.payroll_line l JOIN payments_treasury.assignment a ON a.assignment_id = l.assignment_id
         WHERE l.payroll_id = $1 AND l.net_kopiyky > 0 AND NOT ${PAYABLE}
         ON CONFLICT DO NOTHING
         RETURNING 1)
       SELECT (SELECT count(*)::int FROM w) + (SELECT count(*)::int FROM payments_treasury.awaiting_account WHERE payroll_id = $1) AS n`,
      [payrollId],
    );
    return { count: created!.count, total: created!.total, awaitingAccount: waiting!.n };
  }

  /**
   * Payments for lines that were accrued without an account, now that the assignment has one
   * (pending, without a batch: the next export of their payroll sends them). By payroll (at export)
   * or by assignment (when its account arrives). Returns how many were made.
   */
  async payAwaitingAccount(f: { payrollId?: string; assignmentId?: string }): Promise<number> {
    // INSERT … RETURNING: TypeORM returns the rows.
    const rows = await this.db.query<{ id: string }>(
      `WITH ready AS (
         DELETE FROM payments_treasury.awaiting_account w
         USING payments_treasury.assignment a
         WHERE a.assignment_id = w.assignment_id AND ${PAYABLE}
           AND ($1::uuid IS NULL OR w.payroll_id = $1) AND ($2::uuid IS NULL OR w.assignment_id = $2)
         RETURNING w.payroll_id, w.assignment_id)
       INSERT INTO payments_treasury.payment
         (id, payroll_id, assignment_id, recipient_person_id, programme_code, month, katottg, amount_kopiyky, method, status, end_to_end_id, ${ACCOUNT_COPY_COLUMNS})
       SELECT x.id, x.payroll_id, x.assignment_id, x.recipient_person_id, x.programme_code, x.month, x.katottg, x.net_kopiyky, x.payment_method,
              'pending', replace(x.id::text, '-', ''), ${accountCopyOf('x')}
       FROM (SELECT gen_random_uuid() AS id, l.payroll_id, l.assignment_id, l.recipient_person_id, r.programme_code, l.month, l.katottg, l.net_kopiyky,
                    a.payment_method, ${accountCopyOf('a')}
             FROM ready w
             JOIN payments_treasury.payroll_line l ON l.payroll_id = w.payroll_id AND l.assignment_id = w.assignment_id
             JOIN payments_treasury.payroll r ON r.id = w.payroll_id
             JOIN payments_treasury.assignment a ON a.assignment_id = w.assignment_id) x
       RETURNING id`,
      [f.payrollId ?? null, f.assignmentId ?? null],
    );
    return rows.length;
  }

  async awaitingAccountCount(payrollId: string): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM payments_treasury.awaiting_account WHERE payroll_id = $1`,
      [payrollId],
    );
    return n;
  }

  /**
   * Sends what is pending for a payroll: pending payments without a batch (re-issues) get batches per
   * bank and post first; then every unsent batch is stamped sent. Returns the batches sent now.
   */
  async createBatches(payrollId: string, messagePrefix: string): Promise<BatchRow[]> {
    const created = await this.db.query<{ id: string }>(
      `INSERT INTO payments_treasury.payment_batch (id, payroll_id, channel, mfo, message_id, payment_count, total_kopiyky)
       SELECT g.id, $1, g.method, g.mfo, $2 || replace(g.id::text, '-', ''), g.n, g.total
       FROM (SELECT gen_random_uuid() AS id, method, CASE WHEN method = 'bank' THEN mfo END AS mfo, count(*)::int AS n, sum(amount_kopiyky) AS total
             FROM payments_treasury.payment WHERE payroll_id = $1 AND status = 'pending' AND batch_id IS NULL
             GROUP BY method, CASE WHEN method = 'bank' THEN mfo END) g
       RETURNING id`,
      [payrollId, messagePrefix],
    );
    if (created.length > 0) {
      await this.db.query(
        `UPDATE payments_treasury.payment p SET batch_id = b.id, updated_at = now()
         FROM payments_treasury.payment_batch b
         WHERE b.id = ANY($2::uuid[]) AND p.payroll_id = $1 AND p.status = 'pending' AND p.batch_id IS NULL
           AND p.method = b.channel AND (b.channel = 'post' OR p.mfo = b.mfo)`,
        [payrollId, created.map((c) => c.id)],
      );
    }
    const sent = await this.db.query<{ id: string }>(
      `UPDATE payments_treasury.payment_batch SET sent_at = now() WHERE payroll_id = $1 AND sent_at IS NULL AND payment_count > 0 RETURNING id`,
      [payrollId],
    );
    if (sent.length === 0) return [];
    return this.db.query<BatchRow>(
      `SELECT ${BATCH_COLUMNS} FROM payments_treasury.payment_batch b JOIN payments_treasury.payroll r ON r.id = b.payroll_id WHERE b.id = ANY($1::uuid[]) ORDER BY b.channel, b.mfo`,
      [sent.map((x) => x.id)],
    );
  }

  async batch(id: string): Promise<BatchRow | null> {
    const rows = await this.db.query<BatchRow>(
      `SELECT ${BATCH_COLUMNS} FROM payments_treasury.payment_batch b JOIN payments_treasury.payroll r ON r.id = b.payroll_id WHERE b.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async batches(payrollId: string): Promise<BatchRow[]> {
    return this.db.query<BatchRow>(
      `SELECT ${BATCH_COLUMNS} FROM payments_treasury.payment_batch b JOIN payments_treasury.payroll r ON r.id = b.payroll_id WHERE b.payroll_id = $1 ORDER BY b.created_at, b.channel, b.mfo`,
      [payrollId],
    );
  }

  /**
   * Keyset pages of a batch's payments with the account holders (for streaming files): the next page
   * is read while the caller writes the current one, so the database and the file writer work at the
   * same time; at most two pages are held.
   */
  async *batchPages(batchId: string, pageSize = 5000): AsyncGenerator<FilePaymentRow[]> {
    const page = (after: string) => {
      const rows = this.db.query<FilePaymentRow>(
        `SELECT ${FILE_COLUMNS} FROM payments_treasury.payment p WHERE p.batch_id = $1 AND p.id > $2 ORDER BY p.id LIMIT $3`,
        [batchId, after, pageSize],
      );
      rows.catch(() => undefined); // awaited below; a failure is thrown there, never unhandled
      return rows;
    };
    let next: Promise<FilePaymentRow[]> | null = page('00000000-0000-0000-0000-000000000000');
    while (next) {
      const rows: FilePaymentRow[] = await next;
      if (rows.length === 0) return;
      next = rows.length < pageSize ? null : page(rows[rows.length - 1]!.id);
      yield rows;
    }
  }

  /**
   * A file download is a read of every person in it: one audit row per recipient (set-based) and one
   * for the batch with its count, in the caller's transaction.
   */
  async auditBatchRead(principal: Principal, batchId: string, purpose: string): Promise<number> {
    await this.db.query(BULK_STATEMENT_SETTINGS); // a bank's recipients are sorted in memory, not on disk
    const [{ n }] = await this.db.query<{ n: number }>(
      `WITH ins AS (
         INSERT INTO payments_treasury_audit.audit_log (actor_id, actor_roles, action, subject_type, subject_id, purpose, correlation_id)
         SELECT $1, $2, 'read', 'person', p.recipient_person_id::text, $3, $4 FROM payments_treasury.payment p WHERE p.batch_id = $5
         ORDER BY p.recipient_person_id -- the subject index takes the rows in key order
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [principal.id, principal.roles, purpose, currentCorrelationId() ?? null, batchId],
    );
    return n;
  }

  async findById(id: string, lock = false): Promise<PaymentRow | null> {
    const rows = await this.db.query<PaymentRow>(
      `SELECT ${PAYMENT_COLUMNS} FROM ${PAYMENT_FROM} WHERE p.id = $1${lock ? ' FOR UPDATE OF p' : ''}`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** The payment an EndToEndId names: it is the payment's id without hyphens (a CHECK of the table), looked up by the primary key. */
  async findByEndToEndId(e2e: string): Promise<PaymentRow | null> {
    if (!/^[0-9a-f]{32}$/.test(e2e)) return null; // no payment has another form
    const id = `${e2e.slice(0, 8)}-${e2e.slice(8, 12)}-${e2e.slice(12, 16)}-${e2e.slice(16, 20)}-${e2e.slice(20)}`;
    const rows = await this.db.query<PaymentRow>(
      `SELECT ${PAYMENT_COLUMNS} FROM ${PAYMENT_FROM} WHERE p.id = $1 AND p.end_to_end_id = $2 FOR UPDATE OF p`,
      [id, e2e],
    );
    return rows[0] ?? null;
  }

  async list(f: {
    payrollId?: string;
    assignmentId?: string;
    status?: string;
    territory: string;
    limit: number;
    offset: number;
    withTotal?: boolean;
  }): Promise<{ items: PaymentRow[]; total: number | null }> {
    // A payroll's payments through its batches (payment_batch_idx) or, not yet in one, payment_unbatched_idx.
    const where = `WHERE ($1::uuid IS NULL OR (p.payroll_id = $1 AND (p.batch_id = ANY (ARRAY(SELECT id FROM payments_treasury.payment_batch WHERE payroll_id = $1)) OR p.batch_id IS NULL))) AND ($2::uuid IS NULL OR p.assignment_id = $2) AND ($3::text IS NULL OR ${STATUS} = $3) AND p.katottg LIKE $4 || '%'`;
    const params = [f.payrollId ?? null, f.assignmentId ?? null, f.status ?? null, f.territory === 'UA' ? '' : f.territory];
    const items = await this.db.query<PaymentRow>(
      `SELECT ${PAYMENT_COLUMNS} FROM ${PAYMENT_FROM} ${where} ORDER BY p.month, p.id LIMIT $5 OFFSET $6`,
      [...params, f.limit, f.offset],
    );
    const total = await this.db.total(f, `SELECT count(*)::int AS total FROM ${PAYMENT_FROM} ${where}`, params);
    return { items, total };
  }

  async markSettled(id: string, on: string): Promise<void> {
    await this.db.query(`UPDATE payments_treasury.payment SET status = 'settled', settled_on = $2, updated_at = now() WHERE id = $1`, [
      id,
      on,
    ]);
  }

  async markReturned(id: string, reasonCode: string, on: string): Promise<void> {
    await this.db.query(
      `UPDATE payments_treasury.payment SET status = 'returned', return_reason_code = $2, returned_on = $3, updated_at = now() WHERE id = $1`,
      [id, reasonCode, on],
    );
  }

  /** Whether the payment's assignment has an account the treasury may pay now (see PAYABLE). */
  async assignmentPayable(assignmentId: string): Promise<boolean> {
    const rows = await this.db.query(`SELECT 1 FROM payments_treasury.assignment a WHERE a.assignment_id = $1 AND ${PAYABLE}`, [
      assignmentId,
    ]);
    return rows.length > 0;
  }

  /** The returned payments of an assignment (not yet re-issued), locked for the re-issue that follows. */
  async lockReturned(assignmentId: string): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM payments_treasury.payment WHERE assignment_id = $1 AND status = 'returned' FOR UPDATE`,
      [assignmentId],
    );
    return rows.map((r) => r.id);
  }

  /**
   * A new pending payment for a returned one, to the account on the assignment now (never one given
   * by a user); the original becomes `reissued`. False (nothing written) when the assignment has no account.
   */
  async reissue(original: PaymentRow, newId: string): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO payments_treasury.payment
         (id, payroll_id, assignment_id, recipient_person_id, programme_code, month, katottg, amount_kopiyky, method, status, end_to_end_id, reissue_of, ${ACCOUNT_COPY_COLUMNS})
       SELECT $1::uuid, p.payroll_id, p.assignment_id, p.recipient_person_id, p.programme_code, p.month, p.katottg, p.amount_kopiyky,
              a.payment_method, 'pending', replace($1::uuid::text, '-', ''), p.id, ${accountCopyOf('a')}
       FROM payments_treasury.payment p JOIN payments_treasury.assignment a ON a.assignment_id = p.assignment_id
       WHERE p.id = $2 AND ${PAYABLE}
       RETURNING id`,
      [newId, original.id],
    );
    if (rows.length === 0) return false;
    await this.db.query(`UPDATE payments_treasury.payment SET status = 'reissued', updated_at = now() WHERE id = $1`, [original.id]);
    return true;
  }

  async findStatement(messageId: string, statementId: string): Promise<StatementSummary | null> {
    const rows = await this.db.query<StatementSummary>(
      `SELECT id, kind, message_id AS "messageId", statement_id AS "statementId", entry_count AS "entryCount", settled_count AS "settledCount",
              returned_count AS "returnedCount", unmatched_count AS "unmatchedCount", pending_approval_count AS "pendingApprovalCount"
       FROM payments_treasury.statement WHERE message_id = $1 AND statement_id = $2`,
      [messageId, statementId],
    );
    return rows[0] ?? null;
  }

  async insertStatement(s: StatementSummary & { importedBy: string }, entries: StatementEntryRow[]): Promise<void> {
    await this.db.query(
      `INSERT INTO payments_treasury.statement (id, message_id, statement_id, kind, entry_count, settled_count, returned_count, unmatched_count, pending_approval_count, imported_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        s.id,
        s.messageId,
        s.statementId,
        s.kind,
        s.entryCount,
        s.settledCount,
        s.returnedCount,
        s.unmatchedCount,
        s.pendingApprovalCount,
        s.importedBy,
      ],
    );
    if (entries.length === 0) return;
    await this.db.query(
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

  /**
   * Unmatched entries for review in the principal's territory: an entry linked to a payment is in its
   * territory; an entry matching no payment belongs to the treasury account (national users only).
   */
  async unmatched(
    territoryPrefix: string,
    page: PageRequest,
  ): Promise<{
    items: UnmatchedEntryRow[];
    total: number | null;
  }> {
    const from = `payments_treasury.statement_entry e JOIN payments_treasury.statement s ON s.id = e.statement_id
       LEFT JOIN payments_treasury.payment p ON p.id = e.payment_id
       WHERE e.outcome = 'unmatched' AND ($1 = '' OR p.katottg LIKE $1 || '%')`;
    const items = await this.db.query<UnmatchedEntryRow>(
      `SELECT s.message_id AS "messageId", s.statement_id AS "statementId", e.seq, e.end_to_end_id AS "endToEndId", e.amount_kopiyky::text AS "amountKopiyky",
              e.direction, to_char(e.booking_date, 'YYYY-MM-DD') AS "bookingDate", e.return_reason_code AS "returnReasonCode", e.outcome, e.payment_id AS "paymentId", e.note,
              p.recipient_person_id AS "recipientPersonId"
       FROM ${from} ORDER BY s.imported_at DESC, e.seq LIMIT $2 OFFSET $3`,
      [territoryPrefix, page.limit, page.offset],
    );
    const total = await this.db.total(page, `SELECT count(*)::int AS total FROM ${from}`, [territoryPrefix]);

    return { items, total };
  }

  /** The entry of a statement that returned a settled payment, once the return is booked (two-person rule). */
  async markEntryReturned(statementId: string, seq: number, note: string): Promise<void> {
    await this.db.query(
      `UPDATE payments_treasury.statement_entry SET outcome = 'returned', note = $3 WHERE statement_id = $1 AND seq = $2 AND outcome = 'return-pending-approval'`,
      [statementId, seq, note],
    );
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
  /** Returns of already settled payments, waiting for a second person. */
  pendingApprovalCount: number;
}

export interface StatementEntryRow {
  seq: number;
  endToEndId: string | null;
  amountKopiyky: string;
  direction: 'DBIT' | 'CRDT';
  bookingDate: string | null;
  returnReasonCode: string | null;
  outcome: 'settled' | 'returned' | 'unmatched' | 'duplicate' | 'return-pending-approval';
  paymentId: string | null;
  note: string | null;
}

/** An unmatched statement entry for review, with the statement it came in and the payment's recipient (when linked). */
export interface UnmatchedEntryRow extends StatementEntryRow {
  messageId: string;
  statementId: string;
  recipientPersonId: string | null;
}
