import { decimalToKopiyky, deductionLimit, kopiykyToDecimal, mfoOfIban } from './money';

describe('money', () => {
  it('formats and parses kopiyky exactly when amounts exceed 2^53', () => {
    expect(kopiykyToDecimal(123456n)).toBe('1234.56');
    expect(kopiykyToDecimal('5')).toBe('0.05');
    expect(decimalToKopiyky('90071992547409.93')).toBe(9007199254740993n);
    expect(decimalToKopiyky('12.5')).toBe(1250n);
    expect(() => decimalToKopiyky('1.234')).toThrow();
  });

  it('takes the МФО from IBAN characters 5–10', () => {
    expect(mfoOfIban('UA213223130000026007233566001')).toBe('322313');
  });

  it('limits a deduction to 20 % of the monthly amount unless voluntary', () => {
    expect(deductionLimit(200001n, 20, false)).toBe(40000n);
    expect(deductionLimit(200001n, 20, true)).toBe(200001n);
  });
});
