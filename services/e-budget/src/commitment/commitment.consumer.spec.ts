import { AssignmentGrantedV2, type PayloadOf } from '@eisss/contracts';
import { committedMonths } from './commitment.consumer';

type P = PayloadOf<typeof AssignmentGrantedV2>;

describe('committedMonths', () => {
  const base = AssignmentGrantedV2.fixture as P;
  const months = ['2026-11', '2026-12', '2027-01'].map((month) => ({ month, amountKopiyky: '200000', explanation: 'x' }));
  const withStatus = (status: 'active' | 'suspended' | 'terminated', effectiveFrom: string): P => ({
    ...base,
    assignment: { ...base.assignment, status, months },
    effectiveFrom,
  });

  it('commits every month of an active assignment', () => {
    expect(committedMonths(withStatus('active', '2026-11')).map((m) => m.month)).toEqual(['2026-11', '2026-12', '2027-01']);
  });

  it('releases the months from the effective month when terminated or suspended', () => {
    expect(committedMonths(withStatus('terminated', '2026-12')).map((m) => m.month)).toEqual(['2026-11']);
    expect(committedMonths(withStatus('suspended', '2026-11'))).toEqual([]);
  });

  it('commits nothing for a month of zero amount', () => {
    const p = withStatus('active', '2026-11');
    p.assignment.months = [{ month: '2026-11', amountKopiyky: '0', explanation: 'no right' }];
    expect(committedMonths(p)).toEqual([]);
  });
});
