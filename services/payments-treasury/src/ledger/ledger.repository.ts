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

/** `CASE <kind> WHEN 'accrual' THEN 'accrued' … END`: the debit or credit account of an entry by the posting rules, set-based. */
function accountOf(kindExpr: string, side: 'debit' | 'credit', kinds: LedgerKind[]): string {
  return `CASE ${kindExpr} ${kinds.map((k) => `WHEN '${k}' THEN '${LedgerRules[k][side]}'`).join(' ')} END`;
}

const ENTRY_COLUMNS = `entry_id, recipient_person_id, programme_code, assignment_id, kind, debit_account, credit_account, amount_kopiyky, month, ref_id`;

/**
 * The accrual, arrears and deduction entries of a payroll's lines, as the INSERT … SELECT of a
 * data-modifying CTE over `lines` (rows with recipient_person_id, assignment_id, month and the line's
 * accrued, arrears and deduction amounts): the accrual posts them in its own statement, from the
 * lines it inserts (no second read of the lines). The entries are numbered in the order of the
 * recipient index (recipient, then assignment and kind), so that both the primary key (bulk ids
 * ascend) and the recipient index take them in key order instead of at random pages.
 * `payrollParam`, `programmeParam` and `prefixParam` name the statement's parameters (payroll id,
 * programme, bulkIdPrefix()).
 */
export function payrollEntriesInsert(lines: string, payrollParam: string, programmeParam: string, prefixParam: string): string {
  const kinds: LedgerKind[] = ['accrual', 'arrears', 'deduction'];
  return `INSERT INTO payments_treasury.ledger_entry (${ENTRY_COLUMNS})
       SELECT ${bulkIdSql(prefixParam, 'row_number() OVER (ORDER BY l.recipient_person_id, l.assignment_id, k.ord)')}, l.recipient_person_id, ${programmeParam}, l.assignment_id,
              k.kind, ${accountOf('k.kind', 'debit', kinds)}, ${accountOf('k.kind', 'credit', kinds)}, k.amount, l.month, ${payrollParam}
       FROM ${lines} l
       CROSS JOIN LATERAL (VALUES (1, 'accrual', l.accrued_kopiyky), (2, 'arrears', l.arrears_kopiyky), (3, 'deduction', l.deduction_kopiyky)) AS k(ord, kind, amount)
       WHERE k.amount > 0`;
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

/**
 * The double-entry ledger per recipient and programme: one row per entry with its debit and credit
 * account and the (positive) amount (ledger_entry); its legs (debit +, credit −) are the view ledger_leg.
 */
@Injectable()
export class LedgerRepository {
  constructor(private readonly db: TransactionHost) {}

  /** One entry (a debit and a credit of the amount, by the rule of its kind). */
  async post(p: Posting): Promise<void> {
    const [d, c] = legsOf(p.kind, p.amount);
    await this.db.query(`INSERT INTO payments_treasury.ledger_entry (${ENTRY_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, [
      randomUUID(),
      p.recipientPersonId,
      p.programmeCode,
      p.assignmentId,
      p.kind,
      d.account,
      c.account,
      d.amount.toString(),
      p.month,
      p.refId,
    ]);
  }

  /** Payment (or re-issue) entries for every payment of the batches, in one INSERT … SELECT (numbered in recipient order, as payrollEntriesInsert). */
  async postBatchesSent(batchIds: string[]): Promise<void> {
    if (batchIds.length === 0) return;
    const kinds: LedgerKind[] = ['payment', 'reissue'];
    await this.db.query(BULK_STATEMENT_SETTINGS);
    await this.db.query(
      `INSERT INTO payments_treasury.ledger_entry (${ENTRY_COLUMNS})
       SELECT ${bulkIdSql('$2', 'row_number() OVER (ORDER BY e.recipient_person_id, e.id)')}, e.recipient_person_id, e.programme_code, e.assignment_id,
              e.kind, ${accountOf('e.kind', 'debit', kinds)}, ${accountOf('e.kind', 'credit', kinds)}, e.amount_kopiyky, e.month, e.id
       FROM (SELECT p.id, p.recipient_person_id, p.programme_code, p.assignment_id, p.amount_kopiyky, p.month,
                    CASE WHEN p.reissue_of IS NULL THEN 'payment' ELSE 'reissue' END AS kind
             FROM payments_treasury.payment p WHERE p.batch_id = ANY($1::uuid[])) e`,
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
      `SELECT l.account, sum(l.amount)::text AS balance
       FROM payments_treasury.ledger_entry e
       CROSS JOIN LATERAL (VALUES (e.debit_account, e.amount_kopiyky), (e.credit_account, -e.amount_kopiyky)) AS l(account, amount)
       WHERE e.recipient_person_id = $1 AND e.programme_code = $2 GROUP BY l.account`,
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
         (SELECT coalesce(sum(amount_kopiyky), 0) FROM payments_treasury.ledger_entry WHERE recipient_person_id = $1 AND programme_code = $2 AND kind = 'voluntary_return')::text AS voluntary`,
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

  /** Entries whose legs do not sum to zero (must always be empty: the table's constraints make every entry two opposite legs). */
  async unbalancedEntries(): Promise<string[]> {
    const rows = await this.db.query<{ entry_id: string }>(
      `SELECT entry_id FROM payments_treasury.ledger_leg GROUP BY entry_id HAVING sum(amount_kopiyky) <> 0 OR count(*) <> 2 LIMIT 100`,
    );
    return rows.map((r) => r.entry_id);
  }

  /** Recipient/programme pairs of the ledger (for a full reconciliation). */
  async pairs(limit: number, offset: number): Promise<{ recipientPersonId: string; programmeCode: string }[]> {
    const rows = await this.db.query<{ recipient_person_id: string; programme_code: string }>(
      `SELECT DISTINCT recipient_person_id, programme_code FROM payments_treasury.ledger_entry ORDER BY 1, 2 LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    return rows.map((r) => ({ recipientPersonId: r.recipient_person_id, programmeCode: r.programme_code }));
  }
}
