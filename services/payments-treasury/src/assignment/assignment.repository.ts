import type { AssignmentGrantedV2, PayloadOf } from '@eisss/contracts';
import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { LedgerRepository } from '../ledger/ledger.repository';
import type { AccountColumns } from '../pii/treasury-pii';

export type AssignmentEventPayload = PayloadOf<typeof AssignmentGrantedV2>;

/** The stored account of an assignment as far as a change is detected: method, the IBAN's keyed hash, postcode. */
export interface StoredVersion {
  version: number;
  paymentMethod: string | null;
  ibanHash: string | null;
  postcode: string | null;
}

/** An account as stored: method and postcode plain, the IBAN and the holder's identifiers encrypted (treasury-pii.ts). */
export interface StoredAccount extends AccountColumns {
  method: 'bank' | 'post';
  postcode: string | null;
  payeeFullName: string | null;
}

export interface ReturnedPayment {
  id: string;
  amountKopiyky: string;
}

/** The treasury's copy of assignments (current version + months of every version) and their adjustments. */
@Injectable()
export class AssignmentRepository {
  constructor(
    private readonly db: TransactionHost,
    private readonly ledger: LedgerRepository,
  ) {}

  /** Stored version of an assignment (null when unknown), locked for the update that follows. */
  async currentVersion(assignmentId: string): Promise<StoredVersion | null> {
    const rows = await this.db.query<{ version: number; payment_method: string | null; iban_hash: string | null; postcode: string | null }>(
      `SELECT version, payment_method, iban_hash, postcode FROM payments_treasury.assignment WHERE assignment_id = $1 FOR UPDATE`,
      [assignmentId],
    );
    const r = rows[0];
    return r ? { version: r.version, paymentMethod: r.payment_method, ibanHash: r.iban_hash, postcode: r.postcode } : null;
  }

  /**
   * Upserts the current version and stores its months. The account and its holder are stored only as
   * the event carries them (the register's approved account, or none: `payment: null`), opened and
   * encrypted under the treasury's data key by the consumer (`account`).
   */
  async saveVersion(p: AssignmentEventPayload, stopFrom: string | null, account: StoredAccount | null): Promise<void> {
    const a = p.assignment;
    await this.db.query(
      `INSERT INTO payments_treasury.assignment
         (assignment_id, version, programme_code, recipient_person_id, katottg, period_from, period_to, status, stop_from, payment_method, postcode,
          iban_enc, iban_masked, iban_hash, mfo, payee_full_name, payee_rnokpp_enc, payee_document_number_enc)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
       ON CONFLICT (assignment_id) DO UPDATE SET
         version = EXCLUDED.version, programme_code = EXCLUDED.programme_code, recipient_person_id = EXCLUDED.recipient_person_id,
         katottg = EXCLUDED.katottg, period_from = EXCLUDED.period_from, period_to = EXCLUDED.period_to, status = EXCLUDED.status,
         stop_from = EXCLUDED.stop_from, payment_method = EXCLUDED.payment_method, postcode = EXCLUDED.postcode,
         iban_enc = EXCLUDED.iban_enc, iban_masked = EXCLUDED.iban_masked, iban_hash = EXCLUDED.iban_hash, mfo = EXCLUDED.mfo,
         payee_full_name = EXCLUDED.payee_full_name, payee_rnokpp_enc = EXCLUDED.payee_rnokpp_enc, payee_document_number_enc = EXCLUDED.payee_document_number_enc,
         updated_at = now()`,
      [
        a.assignmentId,
        a.version,
        a.programmeCode,
        a.recipientPersonId,
        a.katottg,
        a.periodFrom,
        a.periodTo,
        a.status,
        stopFrom,
        account?.method ?? null,
        account?.postcode ?? null,
        account?.iban_enc ?? null,
        account?.iban_masked ?? null,
        account?.iban_hash ?? null,
        account?.mfo ?? null,
        account?.payeeFullName ?? null,
        account?.payee_rnokpp_enc ?? null,
        account?.payee_document_number_enc ?? null,
      ],
    );
    if (a.months.length > 0) {
      await this.db.query(
        `INSERT INTO payments_treasury.assignment_month (assignment_id, version, month, amount_kopiyky, explanation)
         SELECT $1, $2, m.month, m.amount::bigint, m.explanation
         FROM unnest($3::text[], $4::text[], $5::text[]) AS m(month, amount, explanation)
         ON CONFLICT DO NOTHING`,
        [a.assignmentId, a.version, a.months.map((m) => m.month), a.months.map((m) => m.amountKopiyky), a.months.map((m) => m.explanation)],
      );
    }
  }

  /** Months of this assignment already accrued in a payroll (differences for them become arrears or overpayments). */
  async accruedMonths(assignmentId: string, months: string[]): Promise<Set<string>> {
    if (months.length === 0) return new Set();
    const rows = await this.db.query<{ month: string }>(
      `SELECT DISTINCT month FROM payments_treasury.payroll_line WHERE assignment_id = $1 AND month = ANY($2::text[])`,
      [assignmentId, months],
    );
    return new Set(rows.map((r) => r.month));
  }

  /** Records an arrears or overpayment adjustment (idempotent per source event and month); overpayments are posted to the ledger at once. */
  async addAdjustment(a: {
    assignmentId: string;
    recipientPersonId: string;
    programmeCode: string;
    month: string;
    kind: 'arrears' | 'overpayment';
    amount: bigint;
    explanation: string;
    sourceEventId: string;
  }): Promise<boolean> {
    const id = randomUUID();
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO payments_treasury.adjustment (id, assignment_id, recipient_person_id, programme_code, month, kind, amount_kopiyky, explanation, source_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (source_event_id, month) DO NOTHING RETURNING id`,
      [id, a.assignmentId, a.recipientPersonId, a.programmeCode, a.month, a.kind, a.amount.toString(), a.explanation, a.sourceEventId],
    );
    if (rows.length === 0) return false;
    if (a.kind === 'overpayment') {
      await this.ledger.post({
        kind: 'overpayment',
        amount: a.amount,
        recipientPersonId: a.recipientPersonId,
        programmeCode: a.programmeCode,
        assignmentId: a.assignmentId,
        month: a.month,
        refId: id,
      });
    }
    return true;
  }

  /** Payments of the assignment returned by the bank or post and not yet re-issued. */
  async returnedPayments(assignmentId: string): Promise<ReturnedPayment[]> {
    const rows = await this.db.query<{ id: string; amount_kopiyky: string }>(
      `SELECT id, amount_kopiyky FROM payments_treasury.payment WHERE assignment_id = $1 AND status = 'returned' ORDER BY month FOR UPDATE`,
      [assignmentId],
    );
    return rows.map((r) => ({ id: r.id, amountKopiyky: r.amount_kopiyky }));
  }
}
