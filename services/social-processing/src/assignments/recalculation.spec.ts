import { diffMonths, planRecalculation, type StoredMonth } from './recalculation';

const m = (month: string, amount: string): StoredMonth => ({ month, amountKopiyky: amount, explanation: 'x' });

describe(planRecalculation.name, () => {
  const previous = { periodFrom: '2026-03', months: [m('2026-03', '500000'), m('2026-04', '500000'), m('2026-05', '500000')] };

  it('reports overpayment per month when a member leaves from a month', () => {
    const plan = planRecalculation(previous, [m('2026-03', '500000'), m('2026-04', '200000'), m('2026-05', '200000')]);
    expect(plan.terminated).toBe(false);
    expect(plan.effectiveFrom).toBe('2026-04');
    expect(plan.differences).toEqual([
      { month: '2026-04', previousKopiyky: '500000', newKopiyky: '200000', differenceKopiyky: '-300000' },
      { month: '2026-05', previousKopiyky: '500000', newKopiyky: '200000', differenceKopiyky: '-300000' },
    ]);
  });

  it('terminates after the given month and reports the removed months when the recipient died', () => {
    const plan = planRecalculation(previous, previous.months, '2026-03');
    expect(plan.terminated).toBe(true);
    expect(plan.periodTo).toBe('2026-03');
    expect(plan.effectiveFrom).toBe('2026-04');
    expect(plan.months.map((x) => x.month)).toEqual(['2026-03']);
    expect(plan.differences.map((d) => d.differenceKopiyky)).toEqual(['-500000', '-500000']);
  });

  it('terminates when nothing is left to pay from a month', () => {
    const plan = planRecalculation(previous, [m('2026-03', '500000'), m('2026-04', '0'), m('2026-05', '0')]);
    expect(plan.terminated).toBe(true);
    expect(plan.periodTo).toBe('2026-03');
  });

  it('keeps the assignment open with zero months when every trailing zero month is restorable (employment-duty stop)', () => {
    const plan = planRecalculation(
      previous,
      [m('2026-03', '500000'), m('2026-04', '0'), m('2026-05', '0')],
      undefined,
      new Set(['2026-03', '2026-04', '2026-05']),
    );
    expect(plan.terminated).toBe(false);
    expect(plan.periodTo).toBe('2026-05');
    expect(plan.months.map((x) => [x.month, x.amountKopiyky])).toEqual([
      ['2026-03', '500000'],
      ['2026-04', '0'],
      ['2026-05', '0'],
    ]);
    expect(plan.effectiveFrom).toBe('2026-04');
    expect(plan.differences.map((d) => d.differenceKopiyky)).toEqual(['-500000', '-500000']);
  });

  it('keeps it open when every month, the first included, is zero for a restorable stop', () => {
    const plan = planRecalculation(
      previous,
      previous.months.map((x) => m(x.month, '0')),
      undefined,
      new Set(['2026-03', '2026-04', '2026-05']),
    );
    expect(plan.terminated).toBe(false);
    expect(plan.months).toHaveLength(3);
  });

  it('a restored month comes back as a positive difference on the open assignment', () => {
    const stopped = { periodFrom: '2026-03', months: [m('2026-03', '500000'), m('2026-04', '0'), m('2026-05', '0')] };
    const plan = planRecalculation(
      stopped,
      [m('2026-03', '500000'), m('2026-04', '0'), m('2026-05', '500000')],
      undefined,
      new Set(['2026-04']),
    );
    expect(plan.terminated).toBe(false);
    expect(plan.differences).toEqual([{ month: '2026-05', previousKopiyky: '0', newKopiyky: '500000', differenceKopiyky: '500000' }]);
  });

  it('still terminates when one trailing zero month is not restorable (death, abroad, property finding)', () => {
    const plan = planRecalculation(
      previous,
      [m('2026-03', '500000'), m('2026-04', '0'), m('2026-05', '0')],
      undefined,
      new Set(['2026-04']),
    );
    expect(plan.terminated).toBe(true);
    expect(plan.periodTo).toBe('2026-03');
    expect(plan.months.map((x) => x.month)).toEqual(['2026-03']);
  });

  it('terminates after the given month even when the months are restorable (recipient died)', () => {
    const plan = planRecalculation(previous, previous.months, '2026-03', new Set(['2026-04', '2026-05']));
    expect(plan.terminated).toBe(true);
    expect(plan.periodTo).toBe('2026-03');
  });

  it('reports arrears as positive differences when an amount rises', () => {
    expect(diffMonths([m('2026-03', '200000')], [m('2026-03', '250000')])).toEqual([
      { month: '2026-03', previousKopiyky: '200000', newKopiyky: '250000', differenceKopiyky: '50000' },
    ]);
  });

  it('changes nothing when the months are the same', () => {
    const plan = planRecalculation(previous, previous.months);
    expect(plan.differences).toEqual([]);
    expect(plan.terminated).toBe(false);
    expect(plan.effectiveFrom).toBeNull();
  });
});
