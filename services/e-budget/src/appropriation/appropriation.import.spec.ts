import { parseAppropriationCsv, validateAppropriations } from './appropriation.import';

describe('validateAppropriations', () => {
  const known = new Set(['idp-living-allowance']);

  it('accepts CSV rows with a semicolon separator when all fields are valid', () => {
    const { rows, problems } = parseAppropriationCsv(
      'programmeCode;region;month;amountKopiyky\nidp-living-allowance;UA80;2026-12;100000000\n',
    );
    expect(problems).toEqual([]);
    expect(validateAppropriations(rows, known)).toEqual({
      valid: [{ programmeCode: 'idp-living-allowance', region: 'UA80', month: '2026-12', amountKopiyky: '100000000' }],
      problems: [],
    });
  });

  it('reports every bad row with its field when amounts are decimals, months malformed or keys repeated', () => {
    const r = validateAppropriations(
      [
        { programmeCode: 'idp-living-allowance', region: 'UA80', month: '2026-12', amountKopiyky: '10.5' },
        { programmeCode: 'nope', region: 'UA8', month: '2026-13', amountKopiyky: '1' },
        { programmeCode: 'idp-living-allowance', region: 'UA', month: '2026-12', amountKopiyky: '1' },
        { programmeCode: 'idp-living-allowance', region: 'UA', month: '2026-12', amountKopiyky: '2' },
      ],
      known,
    );
    expect(r.valid).toHaveLength(1);
    expect(r.problems.map((p) => `${p.row}:${p.field}`)).toEqual(['1:amountKopiyky', '2:programmeCode', '2:region', '2:month', '4:month']);
  });

  it('rejects a CSV without the required header columns', () => {
    expect(parseAppropriationCsv('a,b\n1,2').problems[0]!.message).toMatch(/missing columns/);
  });
});
