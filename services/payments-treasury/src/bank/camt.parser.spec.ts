import { camt053 } from '../../test/support/camt';
import { StatementFormatError, parseCamt, statementAmount } from './camt.parser';

describe('parseCamt', () => {
  const xml = camt053({
    messageId: 'M1',
    statementId: 'S1',
    iban: 'UA938999980000035221139001014',
    date: '2026-12-05',
    entries: [{ endToEndId: 'a'.repeat(32), amountKopiyky: '200000', kind: 'settled', bookingDate: '2026-12-04' }],
  });

  it('reads exact kopiyky with at most two decimals', () => {
    expect(statementAmount('2000.00', 'x')).toBe(200000n);
    expect(statementAmount('2000.5', 'x')).toBe(200050n);
    expect(statementAmount('7', 'x')).toBe(700n);
    expect(statementAmount('90071992547409.93', 'x')).toBe(9007199254740993n);
  });

  it.each(['abc', '-2000.00', '2000.001', '', '1e3', '2 000.00'])(
    'refuses the amount %j as a malformed statement, not a server error',
    (amount) => {
      expect(() => statementAmount(amount, 'entry 1')).toThrow(StatementFormatError);
      expect(() => parseCamt(xml.split('>2000.00<').join(`>${amount}<`))).toThrow(StatementFormatError);
    },
  );

  it('reports the account of every statement and null where one has no IBAN', () => {
    expect(parseCamt(xml).accountIbans).toEqual(['UA938999980000035221139001014']);
    expect(parseCamt(xml.replace('<IBAN>UA938999980000035221139001014</IBAN>', '<Othr><Id>1</Id></Othr>')).accountIbans).toEqual([null]);
  });
});
