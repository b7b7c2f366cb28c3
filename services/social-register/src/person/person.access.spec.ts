import { Role } from '@eisss/contracts';
import { DomainError } from '@eisss/platform';
import { assertCanSeePerson, canSeePerson } from './person.service';

describe(canSeePerson.name, () => {
  const person = { id: 'p-1', katottg: 'UA80000000000093317', actualKatottg: 'UA46060250010015970' };

  it('lets a citizen see only their own record', () => {
    expect(canSeePerson({ id: 'c', roles: [Role.Citizen], territory: 'UA', personId: 'p-1' }, person)).toBe(true);
    expect(canSeePerson({ id: 'c', roles: [Role.Citizen], territory: 'UA', personId: 'p-2' }, person)).toBe(false);
  });

  it('lets an officer of either the registered or the actual territory see the record', () => {
    expect(canSeePerson({ id: 'o', roles: [Role.Officer], territory: 'UA80' }, person)).toBe(true);
    expect(canSeePerson({ id: 'o', roles: [Role.Officer], territory: 'UA46' }, person)).toBe(true);
    expect(canSeePerson({ id: 'o', roles: [Role.Officer], territory: 'UA32' }, person)).toBe(false);
  });

  it('throws TERRITORY_FORBIDDEN for an officer of another territory', () => {
    expect(() => assertCanSeePerson({ id: 'o', roles: [Role.Officer], territory: 'UA32' }, person)).toThrow(DomainError);
    try {
      assertCanSeePerson({ id: 'o', roles: [Role.Officer], territory: 'UA32' }, person);
    } catch (e) {
      expect((e as DomainError).code).toBe('TERRITORY_FORBIDDEN');
    }
  });
});
