import { DciRejection } from './dci.errors';
import { matches, parseQuery } from './dci-query';

describe(parseQuery.name, () => {
  it('reads an identifier query when the type is RNOKPP in any namespace', () => {
    expect(parseQuery('idtype-value', { type: 'ns:ua:IdType:RNOKPP', value: '1759013776' })).toEqual([{ attr: 'rnokpp', op: 'eq', value: '1759013776' }]);
  });

  it('reads an expression with $and of comparisons', () => {
    const q = { type: 'expression', value: { expression: { collection: 'Person', query: { $and: [{ birth_date: { $gt: '2020-01-01' } }, { admin_area_code: { $eq: 'UA80' } }, { sex: 'female' }] } } } };
    expect(parseQuery('expression', q)).toEqual([
      { attr: 'birth_date', op: 'gt', value: '2020-01-01' },
      { attr: 'katottg', op: 'eq', value: 'UA80' },
      { attr: 'sex', op: 'eq', value: 'female' },
    ]);
  });

  it('reads predicates joined by and', () => {
    const q = [{ seq_num: 1, expression1: { attribute_name: 'last_name', operator: 'eq', attribute_value: 'Шевченко' }, condition: 'and', expression2: { attribute_name: 'birth_date', operator: 'eq', attribute_value: '1990-05-17' } }];
    expect(parseQuery('predicate', q)).toHaveLength(2);
  });

  it('rejects an unknown attribute, an operator it does not allow and an or-condition', () => {
    expect(() => parseQuery('expression', { value: { expression: { query: { poverty_score: { $lt: 5 } } } } })).toThrow(DciRejection);
    expect(() => parseQuery('expression', { value: { expression: { query: { last_name: { $lt: 'A' } } } } })).toThrow(/not allowed/);
    expect(() => parseQuery('predicate', [{ expression1: { attribute_name: 'sex', operator: 'eq', attribute_value: 'male' }, condition: 'or', expression2: { attribute_name: 'sex', operator: 'eq', attribute_value: 'female' } }])).toThrow(/not supported/);
  });
});

describe(matches.name, () => {
  it('matches a territory prefix against the registered or actual КАТОТТГ', () => {
    const c = parseQuery('expression', { value: { expression: { query: { admin_area_code: 'UA80' } } } });
    expect(matches(c, { id: 'x', katottg: ['UA46060250010015970', 'UA80000000000093317'] })).toBe(true);
    expect(matches(c, { id: 'x', katottg: ['UA46060250010015970'] })).toBe(false);
  });
});
