import { DciRejection } from './dci.errors';
import { allowedAttributes, attributeBeyondPurpose, purposeAttributesProblem } from './dci-purpose';
import { toSrPerson } from './dci-records';
import type { PersonRecordRow } from './dci.repository';

const person: PersonRecordRow = {
  id: 'p-1',
  rnokpp: '1759013776',
  unzr: null,
  last_name: 'Шевченко',
  first_name: 'Олена',
  patronymic: null,
  birth_date: '1990-05-17',
  death_date: null,
  sex: 'female',
  katottg: 'UA80000000000093317',
  actual_katottg: null,
  registered_address: 'Київ',
  actual_address: null,
  phone: '+380501234567',
  email: 'o@example.com',
  created_at: new Date('2026-01-01T00:00:00Z'),
  updated_at: new Date('2026-01-02T00:00:00Z'),
  statuses: [],
  household: null,
};

describe('purpose-limited attributes (search_criteria.consent.purpose.code)', () => {
  const setting = { 'benefit-eligibility': ['name', 'birth_date'], default: ['name'] };

  it('takes the purpose from consent, then authorize, then the default; no setting: all attributes', () => {
    expect([...allowedAttributes(setting, { consent: { purpose: { code: 'benefit-eligibility' } } })!]).toEqual(['name', 'birth_date']);
    expect([...allowedAttributes(setting, { authorize: { purpose: { code: 'benefit-eligibility' } } })!]).toEqual(['name', 'birth_date']);
    expect([...allowedAttributes(setting, {})!]).toEqual(['name']);
    expect(allowedAttributes(null, {})).toBeNull();
  });

  it('rejects a purpose the client does not have, and no purpose without a default (rjct.search_criteria.invalid)', () => {
    expect(() => allowedAttributes(setting, { consent: { purpose: { code: 'marketing' } } })).toThrow(DciRejection);
    expect(() => allowedAttributes({ a: ['name'] }, {})).toThrow(/consent\.purpose\.code/);
  });

  it('gives @type, @id and the register id always, the national identifiers only with `identifier`', () => {
    const r = toSrPerson(person, new Set(['name']));
    expect(Object.keys(r).sort()).toEqual(['@id', '@type', 'identifier', 'name']);
    expect(r.identifier).toEqual([{ '@type': 'Identifier', identifier_type: 'ID', identifier_value: 'p-1' }]);
    expect(toSrPerson(person, new Set(['identifier'])).identifier).toContainEqual({
      '@type': 'Identifier',
      identifier_type: 'RNOKPP',
      identifier_value: '1759013776',
    });
    expect(Object.keys(toSrPerson(person))).toEqual(
      expect.arrayContaining(['name', 'sex', 'birth_date', 'address', 'actual_address', 'phone_number', 'email', 'additional_attributes']),
    );
  });

  it('checks the client setting', () => {
    expect(purposeAttributesProblem({ x: ['name'] })).toBeNull();
    expect(purposeAttributesProblem({ x: ['salary'] })).toMatch(/without repeats/);
    expect(purposeAttributesProblem({ 'bad code!': ['name'] })).toMatch(/purpose code/);
    expect(purposeAttributesProblem([])).toMatch(/object/);
    expect(purposeAttributesProblem({})).toMatch(/1…50/);
  });

  it('a condition may use only what the purpose may see (age reveals the birth date, location the address)', () => {
    const allowed = new Set(['name', 'birth_date']);
    expect(attributeBeyondPurpose(['last_name', 'age', 'birth_date', 'id', 'poverty_score'], allowed)).toBeNull();
    expect(attributeBeyondPurpose(['age', 'katottg'], allowed)).toBe('katottg');
    expect(attributeBeyondPurpose(['rnokpp'], allowed)).toBe('rnokpp');
    expect(attributeBeyondPurpose(['sex'], new Set(['name']))).toBe('sex');
    expect(attributeBeyondPurpose(['rnokpp', 'status'], null)).toBeNull();
  });
});
