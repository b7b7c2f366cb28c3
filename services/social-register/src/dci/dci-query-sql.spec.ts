import { parseQuery } from './dci-query';
import { groupWhere, personWhere, type SqlContext } from './dci-query-sql';

function context() {
  const params: unknown[] = [];
  const ctx: SqlContext = { param: (v) => `$${params.push(v)}`, hash: (kind, v) => `h(${kind}:${v})`, today: '2026-06-15' };
  return { params, ctx };
}
const expr = (query: unknown) => ({ type: 'expression', value: { expression: { query } } });

describe('DCI query → SQL (values only as parameters)', () => {
  it('compiles each attribute of a person search to a parameterised, two-valued condition', () => {
    const { params, ctx } = context();
    const sql = personWhere(
      parseQuery(
        'expression',
        expr({
          age: { $ge: 18 },
          gender: 'female',
          location: 'UA80',
          group_size: { $lt: 5 },
          poverty_score: { $lt: 5 },
          rnokpp: '1759013776',
        }),
      ),
      ctx,
    );
    expect(sql).toHaveLength(6);
    expect(sql.every((s) => s.startsWith('COALESCE(('))).toBe(true);
    expect(sql[0]).toContain(`date_part('year', age($1::date, p.birth_date))`);
    expect(sql[1]).toBe(`COALESCE((p.sex = $3::text), false)`);
    expect(sql[2]).toContain(`p.katottg LIKE k.v || '%' OR p.actual_katottg LIKE k.v || '%'`);
    expect(sql[4]).toBe('COALESCE((false), false)');
    expect(sql[5]).toBe('COALESCE((p.rnokpp_hash = ANY ($6::text[])), false)');
    expect(params).toEqual(['2026-06-15', 18, 'female', ['UA80'], 5, ['h(rnokpp:1759013776)']]);
    // no value is in the SQL text
    expect(sql.join(' ')).not.toMatch(/UA80|female|1759013776/);
  });

  it('compiles $or and $not, and a group’s member attributes as EXISTS over its active members', () => {
    const { ctx } = context();
    const [or, not] = personWhere(parseQuery('expression', expr({ $or: [{ age: 1 }, { age: 2 }], $not: { sex: 'male' } })), ctx);
    expect(or).toMatch(/^\(COALESCE\(.* OR COALESCE\(/);
    expect(not).toMatch(/^\(NOT \(COALESCE/);
    const g = context();
    const [size, location, member] = groupWhere(
      parseQuery('expression', expr({ group_size: { $gt: 2 }, age: { $lt: 18 }, location: 'UA80', gender: 'male' })),
      g.ctx,
    );
    expect(size).toContain('gs.household_id = h.id AND gs.left_on IS NULL');
    expect(member).toContain(
      'FROM social_register.household_member gm JOIN social_register.person p ON p.id = gm.person_id WHERE gm.household_id = h.id AND gm.left_on IS NULL',
    );
    expect(location).toContain(`h.katottg LIKE k.v || '%'`);
    // the member conditions of one conjunction hold for the same member
    expect(member).toMatch(/gm\.left_on IS NULL AND p\.merged_into IS NULL AND COALESCE\(\(date_part.*\) AND COALESCE\(\(p\.sex = /);
    const o = context();
    const [groupOr] = groupWhere(parseQuery('expression', expr({ $or: [{ age: { $lt: 18 } }, { gender: 'male' }] })), o.ctx);
    expect(groupOr.match(/EXISTS \(SELECT 1 FROM social_register.household_member gm/g)).toHaveLength(2);
  });
});
