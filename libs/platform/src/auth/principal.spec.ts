import { DomainError } from '../errors/domain-error';
import { assertTerritory, canAccessTerritory, type Principal } from './principal';

describe('territory access', () => {
  const national: Principal = { id: 'n', roles: [], territory: 'UA' };
  const kyiv: Principal = { id: 'k', roles: [], territory: 'UA80' };

  it('lets a national user see every territory', () => {
    expect(canAccessTerritory(national, 'UA46060250010015970')).toBe(true);
  });

  it('lets a regional user see codes under their prefix only', () => {
    expect(canAccessTerritory(kyiv, 'UA80000000000093317')).toBe(true);
    expect(canAccessTerritory(kyiv, 'UA46060250010015970')).toBe(false);
    expect(canAccessTerritory(kyiv, null)).toBe(false);
  });

  it('throws TERRITORY_FORBIDDEN when the record is outside the territory', () => {
    expect(() => assertTerritory(kyiv, 'UA46060250010015970')).toThrow(DomainError);
    try {
      assertTerritory(kyiv, 'UA46060250010015970');
    } catch (e) {
      expect((e as DomainError).code).toBe('TERRITORY_FORBIDDEN');
    }
  });
});
