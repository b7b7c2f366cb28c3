import { TransactionHost } from '@eisss/platform';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { BULK_STATEMENT_SETTINGS } from '../shared/bulk';
import { bulkIdPrefix, bulkIdSql } from '../shared/ids';
import { LedgerAccounts, LedgerRules, emptyBalances, legsOf, type Balances, type DomainTotals, type LedgerKind } from './ledger.rules';

export interface Posting {
  kind: LedgerKind;
  amount: bigint;
  recipientPersonId: string;
  programmeCode: string;
  assignmentId: string;
  month: string;
  refId: string;
}

/**
 * `CROSS JOIN LATERAL (VALUES (1, <debit account>), (2, <credit account>)) AS r(leg, account)` for the
 * entries of `alias` (a row with a `kind`): the two legs of each entry by the posting rules, set-based.
 */
function legsLateral(alias: string, kinds: LedgerKind[]): string {
  const account = (side: 'debit' | 'credit') =>
    `CASE ${alias}.kind ${kinds.map((k) => `WHEN '${k}' THEN '${LedgerRules[k][side]}'`).join(' ')} END`;
  return `CROSS JOIN LATERAL (VALUES (1::smallint, ${account('debit')}), (2::smallint, ${account('credit')})) AS r(leg, account)`;
}

/** The domain totals as the statement answers them (decimal strings of kopiyky). */
interface DomainTotalsRow {
  accrued: string;
  deducted: string;
  overpayments: string;
  sent: string;
  reissued: string;
  returned: string;
  voluntary: string;
}

/** The double-entry ledger per recipient and programme (legs: debit +, credit −). */
@Injectable()
export class LedgerRepository {
  constructor(private readonly db: TransactionHost) {}

  /** One entry (two legs). */
  async post(p: Posting): Promise<void> {
    const entryId = randomUUID();
    const [d, c] = legsOf(p.kind, p.amount);
    await this.db.query(
      `INSERT INTO payments_treasury.ledger_leg (entry_id, leg, recipient_person_id, programme_code, assignment_id, account, amount_kopiyky, kind, month, ref_id)
       VALUES ($1, 1, $2, $3, $4, $5, $6, $7, $8, $9), ($1, 2, $2, $3, $4, $10, $11, $7, $8, $9)`,
      [
        entryId,
        p.recipientPersonId,
        p.programmeCode,
        p.assignmentId,
        d.account,
        d.amount.toString(),
        p.kind,
        p.month,
        p.refId,
        c.account,
        c.amount.toString(),
      ],
    );
  }

  /**
   * Accrual, arrears and deduction entries of every line of a payroll, in one INSERT … SELECT. The
   * entries are numbered in the order of the recipient index (recipient, then assignment and kind),
   * so that both the primary key (bulk ids ascend) and the recipient index take the legs in key
   * order instead of at random pages: one sort of the entries, the legs follow in order.
   */
  async postPayroll(payrollId: string, programmeCode: string): Promise<void> {
    await this.db.query(BULK_STATEMENT_SETTINGS);
    await this.db.query(
      `INSERT INTO payments_treasury.ledger_leg (entry_id, leg, recipient_person_id, programme_code, assignment_id, account, amount_kopiyky, kind, month, ref_id)
       SELECT e.entry_id, r.leg, e.recipient_person_id, $2, e.assignment_id, r.account, CASE WHEN r.leg = 1 THEN e.amount ELSE -e.amount END, e.kind, e.month, $1
       FROM (SELECT ${bulkIdSql('$3', 'row_number() OVER (ORDER BY l.recipient_person_id, l.assignment_id, k.ord)')} AS entry_id,
                    l.recipient_person_id, l.assignment_id, l.month, k.kind, k.amount
             FROM payments_treasury.payroll_line l
             CROSS JOIN LATERAL (VALUES (1, 'accrual', l.accrued_kopiyky), (2, 'arrears', l.arrears_kopiyky), (3, 'deduction', l.deduction_kopiyky)) AS k(ord, kind, amount)
             WHERE l.payroll_id = $1 AND k.amount > 0) e
       ${legsLateral('e', ['accrual', 'arrears', 'deduction'])}`,
      [payrollId, programmeCode, bulkIdPrefix()],
    );
  }

  /**
   * Payment (or re-issue) entries for every payment of the batches, in one INSERT … SELECT (numbered
   * in recipient order, as postPayroll).
   */
  async postBatchesSent(batchIds: string[]): Promise<void> {
    if (batchIds.length === 0) return;
    await this.db.query(BULK_STATEMENT_SETTINGS);
    await this.db.query(
      `INSERT INTO payments_treasury.ledger_leg (entry_id, leg, recipient_person_id, programme_code, assignment_id, account, amount_kopiyky, kind, month, ref_id)
       SELECT e.entry_id, r.leg, e.recipient_person_id, e.programme_code, e.assignment_id, r.account, CASE WHEN r.leg = 1 THEN e.amount ELSE -e.amount END, e.kind, e.month, e.id
       FROM (SELECT ${bulkIdSql('$2', 'row_number() OVER (ORDER BY p.recipient_person_id, p.id)')} AS entry_id, p.id, p.recipient_person_id, p.programme_code, p.assignment_id, p.month,
                    p.amount_kopiyky AS amount, CASE WHEN p.reissue_of IS NULL THEN 'payment' ELSE 'reissue' END AS kind
             FROM payments_treasury.payment p WHERE p.batch_id = ANY($1::uuid[])) e
       ${legsLateral('e', ['payment', 'reissue'])}`,
      [batchIds, bulkIdPrefix()],
    );
  }

  /**
   * The ledger of a person and programme is visible in a territory when the person has an assignment
   * of the programme there (`territoryPrefix` '' = national: always).
   */
  async visible(recipientPersonId: string, programmeCode: string, territoryPrefix: string): Promise<boolean> {
    if (territoryPrefix === '') return true;
    const rows = await this.db.query(
      `SELECT 1 FROM payments_treasury.assignment WHERE recipient_person_id = $1 AND programme_code = $2 AND katottg LIKE $3 || '%' LIMIT 1`,
      [recipientPersonId, programmeCode, territoryPrefix],
    );
    return rows.length > 0;
  }

  async balances(recipientPersonId: string, programmeCode: string): Promise<Balances> {
    const rows = await this.db.query<{ account: string; balance: string }>(
      `SELECT account, sum(amount_kopiyky)::text AS balance FROM payments_treasury.ledger_leg
       WHERE recipient_person_id = $1 AND programme_code = $2 GROUP BY account`,
      [recipientPersonId, programmeCode],
    );
    const b = emptyBalances();
    for (const r of rows) b[r.account as (typeof LedgerAccounts)[number]] = BigInt(r.balance);
    return b;
  }

  /** The domain totals (payroll lines, adjustments, payments) the balances must reconcile with. */
  async domainTotals(recipientPersonId: string, programmeCode: string): Promise<DomainTotals> {
    const [r] = await this.db.query<DomainTotalsRow>(
      `SELECT
         (SELECT coalesce(sum(l.accrued_kopiyky + l.arrears_kopiyky), 0) FROM payments_treasury.payroll_line l JOIN payments_treasury.payroll p ON p.id = l.payroll_id
           WHERE l.recipient_person_id = $1 AND p.programme_code = $2)::text AS accrued,
         (SELECT coalesce(sum(l.deduction_kopiyky), 0) FROM payments_treasury.payroll_line l JOIN payments_treasury.payroll p ON p.id = l.payroll_id
           WHERE l.recipient_person_id = $1 AND p.programme_code = $2)::text AS deducted,
         (SELECT coalesce(sum(amount_kopiyky), 0) FROM payments_treasury.adjustment WHERE recipient_person_id = $1 AND programme_code = $2 AND kind = 'overpayment')::text AS overpayments,
         (SELECT coalesce(sum(p.amount_kopiyky), 0) FROM payments_treasury.payment p JOIN payments_treasury.payment_batch b ON b.id = p.batch_id AND b.sent_at IS NOT NULL
           WHERE p.recipient_person_id = $1 AND p.programme_code = $2)::text AS sent,
         (SELECT coalesce(sum(p.amount_kopiyky), 0) FROM payments_treasury.payment p JOIN payments_treasury.payment_batch b ON b.id = p.batch_id AND b.sent_at IS NOT NULL
           WHERE p.recipient_person_id = $1 AND p.programme_code = $2 AND p.reissue_of IS NOT NULL)::text AS reissued,
         (SELECT coalesce(sum(amount_kopiyky), 0) FROM payments_treasury.payment WHERE recipient_person_id = $1 AND programme_code = $2 AND status IN ('returned', 'reissued'))::text AS returned,
         (SELECT coalesce(sum(-amount_kopiyky), 0) FROM payments_treasury.ledger_leg WHERE recipient_person_id = $1 AND programme_code = $2 AND kind = 'voluntary_return' AND leg = 2)::text AS voluntary`,
      [recipientPersonId, programmeCode],
    );
    return {
      accrued: BigInt(r!.accrued),
      deducted: BigInt(r!.deducted),
      overpaymentsFound: BigInt(r!.overpayments),
      sent: BigInt(r!.sent),
      reissued: BigInt(r!.reissued),
      returned: BigInt(r!.returned),
      voluntarilyReturned: BigInt(r!.voluntary),
    };
  }

  /** Entries whose legs do not sum to zero (must always be empty). */
  async unbalancedEntries(): Promise<string[]> {
    const rows = await this.db.query<{ entry_id: string }>(
      `SELECT entry_id FROM payments_treasury.ledger_leg GROUP BY entry_id HAVING sum(amount_kopiyky) <> 0 OR count(*) <> 2 LIMIT 100`,
    );
    return rows.map((r) => r.entry_id);
  }

  /** Recipient/programme pairs of the ledger (for a full reconciliation). */
  async pairs(limit: number, offset: number): Promise<{ recipientPersonId: string; programmeCode: string }[]> {
    const rows = await this.db.query<{ recipient_person_id: string; programme_code: string }>(
      `SELECT DISTINCT recipient_person_id, programme_code FROM payments_treasury.ledger_leg ORDER BY 1, 2 LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    return rows.map((r) => ({ recipientPersonId: r.recipient_person_id, programmeCode: r.programme_code }));
  }
}
