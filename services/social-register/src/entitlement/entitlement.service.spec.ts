import { sumKopiyky } from './entitlement.service';

describe(sumKopiyky.name, () => {
  it('adds kopiyky exactly beyond the range of a double when amounts are large', () => {
    expect(sumKopiyky(['9007199254740993', '1'])).toBe('9007199254740994');
  });

  it('returns zero when there is nothing to add', () => {
    expect(sumKopiyky([])).toBe('0');
  });

  it('nets negative differences (overpayments)', () => {
    expect(sumKopiyky(['200000', '-50000'])).toBe('150000');
  });
});
