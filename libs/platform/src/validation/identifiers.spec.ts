import {
  ibanBankCode,
  isValidKatottg,
  isValidRnokpp,
  isValidUaIban,
  isValidUnzr,
  rnokppBirthDate,
  withRnokppChecksum,
} from './identifiers';

describe('identifier validation', () => {
  it.each([
    ['1759013776', true],
    ['1759013770', false],
    ['2530414071', true],
    ['175901377', false],
    ['17590137760', false],
    ['17590a3776', false],
  ])('rnokpp %s valid=%s', (value, valid) => {
    expect(isValidRnokpp(value)).toBe(valid);
  });

  it('builds a checksum that the validator accepts and rejects every other last digit', () => {
    const valid = withRnokppChecksum('331234567');
    expect(isValidRnokpp(valid)).toBe(true);
    for (let d = 0; d < 10; d++) {
      const candidate = valid.slice(0, 9) + d;
      if (candidate !== valid) expect(isValidRnokpp(candidate)).toBe(false);
    }
  });

  it('decodes the birth date from the first five digits', () => {
    // 1 day after 31.12.1899 is 01.01.1900
    expect(rnokppBirthDate(withRnokppChecksum('000010000'))).toBe('1900-01-01');
    expect(rnokppBirthDate(withRnokppChecksum('328850000'))).toBe('1990-01-13');
  });

  it.each([
    ['UA213223130000026007233566001', true],
    ['UA213223130000026007233566002', false],
    ['PL61109010140000071219812874', false],
    ['UA21322313000002600723356600', false],
  ])('iban %s valid=%s', (value, valid) => {
    expect(isValidUaIban(value)).toBe(valid);
  });

  it('reads the bank code from an IBAN', () => {
    expect(ibanBankCode('UA213223130000026007233566001')).toBe('322313');
  });

  it.each([
    ['19900517-01234', true],
    ['19900230-01234', false],
    ['1990051701234', false],
  ])('unzr %s valid=%s', (value, valid) => {
    expect(isValidUnzr(value)).toBe(valid);
  });

  it('accepts КАТОТТГ codes of UA and 17 digits only', () => {
    expect(isValidKatottg('UA80000000000093317')).toBe(true);
    expect(isValidKatottg('UA8000000000009331')).toBe(false);
    expect(isValidKatottg('XX80000000000093317')).toBe(false);
  });
});
