/**
 * Posting rules of the treasury ledger (per recipient and programme). Every entry is two legs of the
 * same amount, debit (+) and credit (−), so the ledger sums to zero by construction; the balances
 * then mean:
 *   accrued   (debit)  entitlement recognised: accruals + arrears − overpayments found
 *   payable   (credit) owed to the recipient and not yet sent
 *   paid      (credit) sent to the recipient and not returned
 *   returned  (credit) came back and awaits re-issue
 *   overpaid  (debit)  overpayments still to recover
 *   recovered (debit)  cash the recipient returned voluntarily
 */
export const LedgerAccounts = ['accrued', 'payable', 'paid', 'returned', 'overpaid', 'recovered'] as const;
export type LedgerAccount = (typeof LedgerAccounts)[number];

export const LedgerRules = {
  /** Monthly amount accrued in a payroll. */
  accrual: { debit: 'accrued', credit: 'payable' },
  /** Arrears for an earlier month (positive difference of a recalculation). */
  arrears: { debit: 'accrued', credit: 'payable' },
  /** Overpayment found for a month already accrued (negative difference): a receivable, the expense reversed. */
  overpayment: { debit: 'overpaid', credit: 'accrued' },
  /** Recovery of an overpayment by deduction from a monthly amount (≤ 20 % unless voluntary). */
  deduction: { debit: 'payable', credit: 'overpaid' },
  /** Voluntary cash return of an overpayment by the recipient. */
  voluntary_return: { debit: 'recovered', credit: 'overpaid' },
  /** A payment sent (bank file or post list). */
  payment: { debit: 'payable', credit: 'paid' },
  /** A payment returned by the bank or the post. */
  return: { debit: 'paid', credit: 'returned' },
  /** A returned payment sent again (corrected account). */
  reissue: { debit: 'returned', credit: 'paid' },
} as const satisfies Record<string, { debit: LedgerAccount; credit: LedgerAccount }>;
export type LedgerKind = keyof typeof LedgerRules;

export interface LedgerLeg {
  account: LedgerAccount;
  amount: bigint;
}

/** The two legs of one entry. */
export function legsOf(kind: LedgerKind, amount: bigint): [LedgerLeg, LedgerLeg] {
  if (amount <= 0n) throw new Error(`a ledger entry needs a positive amount, got ${amount}`);
  const r = LedgerRules[kind];
  return [
    { account: r.debit, amount },
    { account: r.credit, amount: -amount },
  ];
}

export type Balances = Record<LedgerAccount, bigint>;

export function emptyBalances(): Balances {
  return { accrued: 0n, payable: 0n, paid: 0n, returned: 0n, overpaid: 0n, recovered: 0n };
}

/** What the domain records say the balances must be (the reconciliation target). */
export interface DomainTotals {
  accrued: bigint; // Σ accrued + arrears in payroll lines
  overpaymentsFound: bigint; // Σ overpayment adjustments
  deducted: bigint; // Σ deductions in payroll lines
  voluntarilyReturned: bigint;
  sent: bigint; // Σ payments sent (first sends and re-issues)
  returned: bigint; // Σ payments returned
  reissued: bigint; // Σ re-issues sent
}

/** The balances the domain totals imply; a reconciled ledger equals them account by account. */
export function expectedBalances(t: DomainTotals): Balances {
  return {
    accrued: t.accrued - t.overpaymentsFound,
    payable: -(t.accrued - t.deducted - (t.sent - t.reissued)),
    paid: -(t.sent - t.returned),
    returned: -(t.returned - t.reissued),
    overpaid: t.overpaymentsFound - t.deducted - t.voluntarilyReturned,
    recovered: t.voluntarilyReturned,
  };
}

/** Differences between the ledger and the domain (empty when they reconcile); also checks Σ = 0. */
export function reconcile(actual: Balances, totals: DomainTotals): string[] {
  const problems: string[] = [];
  const expected = expectedBalances(totals);
  let sum = 0n;
  for (const a of LedgerAccounts) {
    sum += actual[a];
    if (actual[a] !== expected[a]) problems.push(`${a}: ledger ${actual[a]} ≠ domain ${expected[a]}`);
  }
  if (sum !== 0n) problems.push(`ledger does not balance: Σ = ${sum}`);
  return problems;
}
