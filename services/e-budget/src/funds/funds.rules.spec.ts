import { FundsRejectionCode } from './funds.errors';
import { decideFunds } from './funds.rules';

describe('decideFunds', () => {
  const base = { programmeKnown: true, programmeCode: 'p', month: '2026-12', appropriation: 1000n, reserved: 300n };

  it('reserves when the payroll fits the rest of the appropriation exactly', () => {
    expect(decideFunds({ ...base, requested: 700n })).toEqual({ outcome: 'reserved', availableAfter: 0n });
  });

  it('rejects with APPROPRIATION_EXCEEDED and both amounts in the reason when one kopiyka over', () => {
    const d = decideFunds({ ...base, requested: 701n });
    expect(d).toMatchObject({ outcome: 'rejected', reasonCode: FundsRejectionCode.APPROPRIATION_EXCEEDED });
    expect(d.outcome === 'rejected' && d.reason).toContain('7.01 UAH exceeds the available appropriation 7.00 UAH');
  });

  it('rejects with NO_APPROPRIATION when the month has no plan and PROGRAMME_UNKNOWN for an unknown programme', () => {
    expect(decideFunds({ ...base, appropriation: null, requested: 1n })).toMatchObject({ reasonCode: FundsRejectionCode.NO_APPROPRIATION });
    expect(decideFunds({ ...base, programmeKnown: false, requested: 1n })).toMatchObject({
      reasonCode: FundsRejectionCode.PROGRAMME_UNKNOWN,
    });
  });
});
