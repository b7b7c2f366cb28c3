import { DciError, DciRejection } from './dci.errors';
import { ageOn, attributesOf, expressionCollection, matches, parseQuery, type Condition, type NotifyFacts } from './dci-query';

const expr = (query: unknown, collection = 'Person') => ({ type: 'expression', value: { expression: { collection, query } } });
const reasonOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof DciRejection ? err.reason : err instanceof DciError ? err.code : 'other';
  }
  return null;
};

describe(parseQuery.name, () => {
  describe('idtype-value (SubscriptionInfo.filter anyOf/1: "IdType … defined as per implementation context")', () => {
    it.each([
      ['RNOKPP', 'rnokpp'],
      ['ns:ua:IdType:RNOKPP', 'rnokpp'],
      ['TIN', 'rnokpp'],
      ['UNZR', 'unzr'],
      ['UIN', 'unzr'],
      ['NationalID', 'unzr'],
      ['NID', 'unzr'],
      ['PASSPORT', 'document'],
      ['ID_CARD', 'document'],
      ['ID', 'id'],
    ])('maps identifier type %s to %s', (type, attr) => {
      expect(parseQuery('idtype-value', { type, value: ' 1759013776 ' })).toEqual([{ attr, op: 'eq', value: '1759013776' }]);
    });

    it('rejects an unknown identifier type with the SearchStatusReasonCode rjct.search_criteria.invalid', () => {
      expect(reasonOf(() => parseQuery('idtype-value', { type: 'MOBILE', value: '+380501234567' }))).toBe('rjct.search_criteria.invalid');
      expect(reasonOf(() => parseQuery('idtype-value', { type: 'RNOKPP', value: ' ' }))).toBe('rjct.search_criteria.invalid');
    });
  });

  describe('expression (SearchRequest.search_criteria.query: expression { collection, query { $and … } })', () => {
    it('reads the spec’s own example: $and of poverty_score $lt, location $eq and group_size $lt on Group', () => {
      const q = expr({ $and: [{ poverty_score: { $lt: 5 } }, { location: { $eq: 'UA80' } }, { group_size: { $lt: 5 } }] }, 'Group');
      expect(parseQuery('expression', q)).toEqual([
        { attr: 'poverty_score', op: 'lt', value: 5 },
        { attr: 'katottg', op: 'eq', value: 'UA80' },
        { attr: 'group_size', op: 'lt', value: 5 },
      ]);
      expect(expressionCollection(q)).toBe('group');
    });

    it('keeps $or and $not as nodes and opens nested $and', () => {
      const q = expr({
        $and: [
          { $or: [{ age: { $lt: 18 } }, { age: { $ge: 65 } }] },
          { $not: { gender: 'male' } },
          { $and: [{ admin_area_code: 'ua80' }] },
        ],
      });
      expect(parseQuery('expression', q)).toEqual([
        {
          logic: 'or',
          of: [
            { attr: 'age', op: 'lt', value: 18 },
            { attr: 'age', op: 'ge', value: 65 },
          ],
        },
        { logic: 'not', of: [{ attr: 'sex', op: 'eq', value: 'male' }] },
        { attr: 'katottg', op: 'eq', value: 'UA80' },
      ]);
    });

    it.each([
      ['$eq', 'eq'],
      ['$lt', 'lt'],
      ['$gt', 'gt'],
      ['$le', 'le'],
      ['$lte', 'le'],
      ['$ge', 'ge'],
      ['$gte', 'ge'],
    ])('reads operator %s as %s (predicate operator enum gt, lt, eq, ge, le, in)', (op, expected) => {
      expect(parseQuery('expression', expr({ age: { [op]: '30' } }))).toEqual([{ attr: 'age', op: expected, value: 30 }]);
    });

    it('reads $in lists, several operators on one attribute, and a field-level $not', () => {
      expect(parseQuery('expression', expr({ sex: { $in: ['Female', 'male'] } }))).toEqual([
        { attr: 'sex', op: 'in', value: ['female', 'male'] },
      ]);
      expect(parseQuery('expression', expr({ age: { $ge: 18, $lt: 65 } }))).toEqual([
        { attr: 'age', op: 'ge', value: 18 },
        { attr: 'age', op: 'lt', value: 65 },
      ]);
      expect(parseQuery('expression', expr({ age: { $not: { $lt: 18 } } }))).toEqual([
        { logic: 'not', of: [{ attr: 'age', op: 'lt', value: 18 }] },
      ]);
    });

    it.each([
      ['an unknown attribute', { shoe_size: { $lt: 5 } }],
      ['an operator the attribute does not allow', { last_name: { $lt: 'A' } }],
      ['an unknown operator', { age: { $regex: '1.*' } }],
      ['an unknown logical operator', { $nor: [{ sex: 'male' }] }],
      ['an empty $or', { $or: [] }],
      ['a location that is not a КАТОТТГ prefix (the spec example’s central_region)', { location: { $eq: 'central_region' } }],
      ['a LIKE wildcard in a location', { location: 'UA8%' }],
      ['a gender other than male/female', { gender: 'x' }],
      ['a non-numeric age', { age: { $gt: 'old' } }],
      ['an $in that is neither a list nor a text list', { sex: { $in: 5 } }],
      ['an empty query', {}],
    ])('rejects %s per request (rjct.search_criteria.invalid)', (_, query) => {
      expect(reasonOf(() => parseQuery('expression', expr(query)))).toBe('rjct.search_criteria.invalid');
    });

    it('rejects an unknown collection, and an impossible date as a malformed message (err.request.bad)', () => {
      expect(reasonOf(() => parseQuery('expression', expr({ sex: 'male' }, 'Vehicle')))).toBe('rjct.search_criteria.invalid');
      expect(reasonOf(() => parseQuery('expression', expr({ birth_date: { $eq: '2026-02-30' } })))).toBe('err.request.bad');
    });

    it('refuses more than 50 conditions', () => {
      const many = { $or: Array.from({ length: 51 }, (_, i) => ({ age: i })) };
      expect(reasonOf(() => parseQuery('expression', expr(many)))).toBe('rjct.search_criteria.invalid');
    });
  });

  describe('predicate (SubscriptionInfo.filter anyOf/2: seq_num, expression1, condition and|or|not, expression2)', () => {
    const e = (attribute_name: string, operator: string, attribute_value: unknown) => ({ attribute_name, operator, attribute_value });

    it('joins items by and in seq_num order and reads and / or / not', () => {
      const q = [
        { seq_num: 3, expression1: e('gender', 'eq', 'female'), condition: 'not', expression2: e('location', 'eq', 'UA46') },
        { seq_num: 1, expression1: e('age', 'ge', 18), condition: 'and', expression2: e('age', 'lt', 65) },
        { seq_num: 2, expression1: e('group_size', 'gt', 3), condition: 'or', expression2: e('status', 'in', ['disability']) },
        { seq_num: 4, expression1: e('poverty_score', 'le', 10), condition: 'not' },
      ];
      expect(parseQuery('predicate', q)).toEqual([
        { attr: 'age', op: 'ge', value: 18 },
        { attr: 'age', op: 'lt', value: 65 },
        {
          logic: 'or',
          of: [
            { attr: 'group_size', op: 'gt', value: 3 },
            { attr: 'status', op: 'in', value: ['disability'] },
          ],
        },
        { attr: 'sex', op: 'eq', value: 'female' },
        { logic: 'not', of: [{ attr: 'katottg', op: 'eq', value: 'UA46' }] },
        { logic: 'not', of: [{ attr: 'poverty_score', op: 'le', value: 10 }] },
      ]);
    });

    it('reads an in-list given as text (attribute_value cannot be an array in the spec) and numbers given as text', () => {
      expect(parseQuery('predicate', [{ expression1: e('age', 'in', '17, 70') }])).toEqual([{ attr: 'age', op: 'in', value: [17, 70] }]);
      expect(parseQuery('predicate', [{ expression1: e('gender', 'in', 'female') }])).toEqual([
        { attr: 'sex', op: 'in', value: ['female'] },
      ]);
    });

    it('rejects a condition outside the enum, and/or without expression2, and an expression without operator', () => {
      expect(
        reasonOf(() =>
          parseQuery('predicate', [{ expression1: e('sex', 'eq', 'male'), condition: 'xor', expression2: e('sex', 'eq', 'female') }]),
        ),
      ).toBe('rjct.search_criteria.invalid');
      expect(reasonOf(() => parseQuery('predicate', [{ expression1: e('sex', 'eq', 'male'), condition: 'or' }]))).toBe(
        'rjct.search_criteria.invalid',
      );
      expect(reasonOf(() => parseQuery('predicate', [{ expression1: { attribute_name: 'sex', attribute_value: 'male' } }]))).toBe(
        'rjct.search_criteria.invalid',
      );
    });
  });

  it('reports the attributes a query uses, inside $or and $not too', () => {
    expect(attributesOf(parseQuery('expression', expr({ $or: [{ age: 1 }, { $not: { location: 'UA80' } }], sex: 'male' })))).toEqual([
      'age',
      'katottg',
      'sex',
    ]);
  });
});

describe(ageOn.name, () => {
  it('counts the birthday itself (age derived from the birth date on the query date)', () => {
    expect(ageOn('2008-06-15', '2026-06-14')).toBe(17);
    expect(ageOn('2008-06-15', '2026-06-15')).toBe(18);
    expect(ageOn('2008-06-15', '2026-06-16')).toBe(18);
  });

  it('reaches the age of a 29 February birth on 1 March in other years (as Postgres age())', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageOn('2008-02-29', '2028-02-29')).toBe(20);
  });
});

describe(matches.name, () => {
  const facts: NotifyFacts = {
    id: 'p-1',
    katottg: ['UA46060250010015970', 'UA80000000000093317'],
    sex: 'female',
    birth_date: '2008-06-15',
    group_size: 4,
    on: '2026-06-15',
    last_name: 'Шевченко',
    statuses: ['disability'],
  };
  const q = (query: unknown): Condition[] => parseQuery('expression', expr(query));

  it('matches a territory prefix against the registered or actual КАТОТТГ', () => {
    expect(matches(q({ admin_area_code: 'UA80' }), facts)).toBe(true);
    expect(matches(q({ location: { $in: ['UA12', 'UA4606'] } }), facts)).toBe(true);
    expect(matches(q({ location: 'UA12' }), facts)).toBe(false);
  });

  it('derives the age on the facts’ date, with each comparison operator', () => {
    expect(matches(q({ age: { $eq: 18 } }), facts)).toBe(true);
    expect(matches(q({ age: { $ge: 18 } }), facts)).toBe(true);
    expect(matches(q({ age: { $gt: 18 } }), facts)).toBe(false);
    expect(matches(q({ age: { $lt: 18 } }), facts)).toBe(false);
    expect(matches(q({ age: { $le: 18 } }), facts)).toBe(true);
    expect(matches(q({ age: { $in: [17, 18] } }), facts)).toBe(true);
    expect(matches(q({ age: { $lt: 18 } }), { ...facts, on: '2026-06-14' })).toBe(true);
  });

  it('evaluates $or, $not, gender, group_size, names and statuses', () => {
    expect(matches(q({ $or: [{ gender: 'male' }, { group_size: { $ge: 4 } }] }), facts)).toBe(true);
    expect(matches(q({ $not: { gender: 'female' } }), facts)).toBe(false);
    expect(matches(q({ $not: { gender: 'male' } }), facts)).toBe(true);
    expect(matches(q({ last_name: 'ШЕВЧЕНКО', status: 'disability' }), facts)).toBe(true);
  });

  it('treats an unknown fact as false (so $not of it holds), and poverty_score as unknown always', () => {
    expect(matches(q({ group_size: { $gt: 0 } }), { id: 'x', katottg: [] })).toBe(false);
    expect(matches(q({ $not: { group_size: { $gt: 0 } } }), { id: 'x', katottg: [] })).toBe(true);
    expect(matches(q({ poverty_score: { $lt: 100 } }), facts)).toBe(false);
  });
});
