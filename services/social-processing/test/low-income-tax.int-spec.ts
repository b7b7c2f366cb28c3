import { IncomeReportedV1, type IncomeKinds } from '@eisss/contracts';
import { expectEventually } from '@eisss/testing';
import { ProcessingHarness } from './processing-harness';

type Node = { rule: string; outcome: string; amountKopiyky?: string; facts: Record<string, unknown>; children?: Node[] };

/**
 * Low-income family assistance takes the family's income from the tax service's income facts (IncomeReportedV1 →
 * income_fact): the six months before the month preceding the month of application, one-off and military pay left out.
 */
describe('social-processing low-income family assistance: income from tax facts', () => {
  let h: ProcessingHarness;

  beforeAll(async () => {
    h = await ProcessingHarness.start([]);
  });

  afterAll(async () => {
    await h?.close();
  });

  const income = async (personId: string, month: string, incomeKind: (typeof IncomeKinds)[number], amountKopiyky: string) => {
    const reportId = `dps-${personId}-${month}-${incomeKind}`;
    await h.publish(IncomeReportedV1, { reportId, personId, month, incomeKind, amountKopiyky, payerCode: '12345678' }, personId);
    return reportId;
  };
  const incomeRows = async (personIds: string[]) =>
    (await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.income_fact WHERE person_id = ANY($1::uuid[])`, [personIds]))
      .rows[0].n as number;

  const decide = async (applicant: string, child: string, declaredPerPerson: string) => {
    const res = await h.submit(
      h.application(applicant, {
        programmeCodes: ['low-income-family'],
        averageMonthlyIncomePerPersonKopiyky: declaredPerPerson,
        household: {
          members: [
            { personId: applicant, role: 'applicant', relation: 'self' },
            { personId: child, role: 'member', relation: 'child' },
          ],
        },
      }),
    );
    expect(res.status).toBe(201);
    await h.passVerification(res.body.id);
    await expectEventually(async () => expect((await h.getApplication(res.body.id)).decisions[0].status).toBe('awaiting_officer'), {
      timeoutMs: 15000,
    });
    const d = (await h.getApplication(res.body.id)).decisions[0];
    const rules = (d.explanation.children as Node[]).find((c) => c.rule === 'low-income')!;
    return {
      d,
      amount: rules.children!.find((c) => c.rule === 'low-income.amount')!,
      income: rules.children!.find((c) => c.rule === 'low-income.average-monthly-income')!,
    };
  };

  it("uses the members' tax income of 2025-08 … 2026-01 for an application of 2026-03-10, not the declared income", async () => {
    const applicant = await h.idpPerson('1985-04-10');
    const child = await h.idpPerson('2016-01-01');
    const months = ['2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01'];
    const counted: string[] = [];
    for (const m of months) counted.push(await income(applicant, m, 'salary', '300000'));
    counted.push(await income(child, '2025-12', 'social-benefit', '1'));
    const oneOff = await income(applicant, '2025-10', 'one-off', '5000000');
    const military = await income(applicant, '2025-11', 'military', '7000000');
    const after = await income(applicant, '2026-02', 'salary', '9999999'); // the month preceding the month of application: outside
    const before = await income(child, '2025-07', 'salary', '9999999'); // before the look-back
    await expectEventually(async () => expect(await incomeRows([applicant, child])).toBe(11), { timeoutMs: 20000 });

    // Level 2026: 1 996.80 + 5 092.40 = 7 089.20 UAH; income (6 × 3 000.00 + 0.01) / 6 = 3 000.00 (rounded down) → 4 089.20 UAH.
    // The declared 9 999.99 per person would refuse: the facts win.
    const { d, amount, income: inc } = await decide(applicant, child, '999999');
    expect(d.months).toHaveLength(6);
    expect(d.months.map((m: { amountKopiyky: string }) => m.amountKopiyky)).toEqual(Array(6).fill('408920'));
    expect(amount).toMatchObject({
      outcome: 'amount',
      amountKopiyky: '408920',
      facts: { levelKopiyky: '708920', incomeKopiyky: '300000', incomeSource: 'tax-income-facts' },
    });
    expect(inc).toMatchObject({
      outcome: 'info',
      amountKopiyky: '300000',
      facts: {
        months,
        persons: [applicant, child],
        countedKopiyky: '1800001',
        excludedKopiyky: '12000000',
        excludedKinds: ['one-off', 'military'],
        divisorMonths: 6,
        familyKopiyky: '300000',
      },
    });
    expect(inc.facts.byPerson).toEqual([
      {
        personId: applicant,
        countedKopiyky: '1800000',
        excludedKopiyky: '12000000',
        byKind: { salary: '1800000', 'one-off': '5000000', military: '7000000' },
      },
      { personId: child, countedKopiyky: '1', excludedKopiyky: '0', byKind: { 'social-benefit': '1' } },
    ]);
    expect([...(inc.facts.reportIds as string[])].sort()).toEqual([...counted, oneOff, military].sort());
    expect(inc.facts.reportIds).not.toContain(after);
    expect(inc.facts.reportIds).not.toContain(before);
  });

  it('falls back to the declared income when no member has a tax fact in the look-back, and says so', async () => {
    const applicant = await h.idpPerson('1985-04-10');
    const child = await h.idpPerson('2016-01-01');
    await income(applicant, '2026-02', 'salary', '9999999'); // outside the look-back only
    await expectEventually(async () => expect(await incomeRows([applicant])).toBe(1), { timeoutMs: 20000 });
    const { d, amount, income: inc } = await decide(applicant, child, '150000');
    expect(d.months[0]).toMatchObject({ month: '2026-03', amountKopiyky: '408920' });
    expect(amount.facts).toMatchObject({ incomeKopiyky: '300000', incomeSource: 'declared' });
    expect(inc.facts).toMatchObject({ perPersonKopiyky: '150000', persons: 2, familyKopiyky: '300000' });
    expect(String(inc.facts.source)).toMatch(/declared on the application.*no tax income fact/);
  });
});
