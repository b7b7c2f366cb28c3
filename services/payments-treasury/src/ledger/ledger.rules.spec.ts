import { deductionLimit } from '../shared/money';
import { LedgerAccounts, emptyBalances, legsOf, reconcile, type Balances, type DomainTotals, type LedgerKind } from './ledger.rules';

/** mulberry32: a tiny seeded PRNG, so every random history can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Payment {
  amount: bigint;
  status: 'pending' | 'sent' | 'returned' | 'reissued';
  reissue: boolean;
}

/** One recipient and programme going through a random history of treasury operations. */
function randomHistory(seed: number, steps: number) {
  const rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const balances: Balances = emptyBalances();
  const totals: DomainTotals = {
    accrued: 0n,
    overpaymentsFound: 0n,
    deducted: 0n,
    voluntarilyReturned: 0n,
    sent: 0n,
    returned: 0n,
    reissued: 0n,
  };
  const payments: Payment[] = [];
  let openOverpayment = 0n;
  let voluntary = false;
  const violations: string[] = [];
  const post = (kind: LedgerKind, amount: bigint) => {
    if (amount <= 0n) return;
    for (const leg of legsOf(kind, amount)) balances[leg.account] += leg.amount;
  };

  for (let i = 0; i < steps; i++) {
    const op = int(0, 5);
    if (op === 0 || op === 1) {
      // payroll line: monthly amount + arrears − deduction within the limit
      const monthly = BigInt(int(0, 500000));
      const arrears = rnd() < 0.2 ? BigInt(int(1, 100000)) : 0n;
      const limit = deductionLimit(monthly, 20, voluntary) + (voluntary ? arrears : 0n);
      const deduction = openOverpayment < limit ? openOverpayment : limit;
      if (!voluntary && deduction * 100n > monthly * 20n) violations.push(`step ${i}: deduction ${deduction} > 20 % of ${monthly}`);
      post('accrual', monthly);
      post('arrears', arrears);
      post('deduction', deduction);
      totals.accrued += monthly + arrears;
      totals.deducted += deduction;
      openOverpayment -= deduction;
      const net = monthly + arrears - deduction;
      if (net < 0n) violations.push(`step ${i}: negative net ${net}`);
      if (net > 0n) payments.push({ amount: net, status: 'pending', reissue: false });
    } else if (op === 2) {
      // overpayment found for an accrued month (never more than what was accrued)
      const room = totals.accrued - totals.overpaymentsFound;
      if (room > 0n) {
        const amount = BigInt(int(1, Number(room > 300000n ? 300000n : room)));
        post('overpayment', amount);
        totals.overpaymentsFound += amount;
        openOverpayment += amount;
        voluntary = rnd() < 0.3;
      }
    } else if (op === 3) {
      for (const p of payments.filter((x) => x.status === 'pending')) {
        post(p.reissue ? 'reissue' : 'payment', p.amount);
        totals.sent += p.amount;
        if (p.reissue) totals.reissued += p.amount;
        p.status = 'sent';
      }
    } else if (op === 4) {
      const sent = payments.filter((x) => x.status === 'sent');
      const p = sent[int(0, sent.length - 1)];
      if (p) {
        post('return', p.amount);
        totals.returned += p.amount;
        p.status = 'returned';
      }
    } else {
      const returned = payments.filter((x) => x.status === 'returned');
      const p = returned[0];
      if (p) {
        p.status = 'reissued';
        payments.push({ amount: p.amount, status: 'pending', reissue: true });
      } else if (openOverpayment > 0n && rnd() < 0.5) {
        const amount = BigInt(int(1, Number(openOverpayment > 100000n ? 100000n : openOverpayment)));
        post('voluntary_return', amount);
        totals.voluntarilyReturned += amount;
        openOverpayment -= amount;
      }
    }
    for (const pr of reconcile(balances, totals)) violations.push(`seed ${seed} step ${i}: ${pr}`);
    if (balances.payable > 0n) violations.push(`step ${i}: payable has a debit balance ${balances.payable}`);
    if (balances.overpaid < 0n || balances.overpaid !== openOverpayment)
      violations.push(`step ${i}: overpaid ${balances.overpaid} ≠ open ${openOverpayment}`);
    if (balances.returned > 0n) violations.push(`step ${i}: returned has a debit balance`);
  }
  return { balances, violations };
}

describe('LedgerRules', () => {
  it('gives every entry two legs that sum to zero when posted', () => {
    for (const kind of ['accrual', 'arrears', 'overpayment', 'deduction', 'voluntary_return', 'payment', 'return', 'reissue'] as const) {
      const [d, c] = legsOf(kind, 123n);
      expect(d.amount + c.amount).toBe(0n);
      expect(d.account).not.toBe(c.account);
    }
  });

  it('refuses an entry of zero or negative amount', () => {
    expect(() => legsOf('accrual', 0n)).toThrow(/positive/);
  });

  it.each(Array.from({ length: 200 }, (_, i) => [1000 + i]))(
    'keeps the ledger balanced and reconciled with the domain on the random history of seed %i',
    (seed) => {
      const { balances, violations } = randomHistory(seed, 60);
      expect(violations).toEqual([]);
      expect(LedgerAccounts.reduce((s, a) => s + balances[a], 0n)).toBe(0n);
    },
  );

  it('detects a one-legged posting when the ledger is tampered with', () => {
    const { balances } = randomHistory(7, 30);
    balances.paid -= 1n;
    expect(
      reconcile(balances, {
        accrued: 0n,
        overpaymentsFound: 0n,
        deducted: 0n,
        voluntarilyReturned: 0n,
        sent: 0n,
        returned: 0n,
        reissued: 0n,
      }).some((p) => p.includes('does not balance')),
    ).toBe(true);
  });
});
