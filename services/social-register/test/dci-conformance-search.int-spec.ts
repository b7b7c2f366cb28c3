import { Role } from '@eisss/contracts';
import { kyivDate } from '@eisss/platform';
import { ServiceApp, TestEnvironment, expectEventually, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { describeErrors } from '../src/dci/dci-spec';
import { definition } from '../src/service.definition';
import { CallbackServer, admin, registerClient, registerPublicKey, type TestClient } from './dci-support';
import { bornYearsAgo, dciCaller, expression, predicate, rnokppFor } from './dci-search-support';
import { LVIV } from './support';

/**
 * Conformance of the search endpoints with the DCI Social Registry API v1.0.0
 * (standards/dci/social_api_v1.0.0.yaml): POST /registry/sync/search and POST /registry/search with
 * its /registry/on-search callback. Every request is checked against the spec before it is sent
 * (dciCaller), every sync answer against the path's response schema, every callback body against
 * the callback path and SearchResponse.
 */
describe('DCI conformance: search (SearchRequest / SearchResponse)', () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let sender: CallbackServer;
  let client: TestClient;
  let limited: TestClient;
  let dci: ReturnType<typeof dciCaller>;
  const registrar = tokenFor({ id: 'registrar-conf', roles: [Role.Registrar], territory: 'UA' });

  // Test areas inside the client's territory (UA80): A and A2 share the prefix UA800000000005.
  const AREA_A = 'UA80000000000500001';
  const AREA_A2 = 'UA80000000000500002';
  const AREA_B = 'UA80000000000600001';
  const PREFIX_A = 'UA800000000005';
  const today = kyivDate(new Date());

  const people: Record<
    'adult' | 'minor' | 'senior' | 'loner' | 'man40' | 'lviv',
    { id: string; rnokpp: string; unzr?: string; birthDate: string }
  > = {} as never;
  const households: Record<'h1' | 'h2' | 'lviv', string> = {} as never;

  async function person(
    key: keyof typeof people,
    p: { lastName: string; sex: 'male' | 'female'; birthDate: string; katottg: string; unzr?: boolean },
  ) {
    const rnokpp = rnokppFor(p.birthDate);
    const unzr = p.unzr ? `${p.birthDate.replace(/-/g, '')}-${String(Math.floor(Math.random() * 100000)).padStart(5, '0')}` : undefined;
    const res = await app
      .http()
      .post('/persons')
      .set('authorization', `Bearer ${registrar}`)
      .send({
        rnokpp,
        ...(unzr ? { unzr } : {}),
        lastName: p.lastName,
        firstName: 'Тест',
        birthDate: p.birthDate,
        sex: p.sex,
        katottg: p.katottg,
        registeredAddress: `адреса ${key}`,
        phone: '+380501234567',
        email: `${key}@example.com`,
      });
    if (res.status !== 201) throw new Error(`person ${key}: ${res.status} ${JSON.stringify(res.body)}`);
    people[key] = { id: res.body.id, rnokpp, unzr, birthDate: p.birthDate };
  }

  async function household(
    key: keyof typeof households,
    katottg: string,
    members: [keyof typeof people, 'head' | 'recipient' | 'dependant'][],
  ) {
    const res = await app
      .http()
      .post('/households')
      .set('authorization', `Bearer ${registrar}`)
      .send({
        katottg,
        address: `домогосподарство ${key}`,
        members: members.map(([p, role]) => ({ personId: people[p].id, role, joinedOn: '2025-01-10' })),
      });
    if (res.status !== 201) throw new Error(`household ${key}: ${res.status} ${JSON.stringify(res.body)}`);
    households[key] = res.body.id;
  }

  const idOf = (record: { '@id': string }) => record['@id'].split(':').pop()!;
  const ids = (item: { data: { reg_records: { '@id': string }[] } }) => item.data.reg_records.map(idOf).sort();
  const persons = (...keys: (keyof typeof people)[]) => keys.map((k) => people[k].id).sort();
  const groups = (...keys: (keyof typeof households)[]) => keys.map((k) => households[k]).sort();
  /** An expression search within area A's prefix (persons), sorted by birth date. */
  const inAreaA = (query: Record<string, unknown>) =>
    dci.searchOne('expression', expression({ $and: [{ location: { $eq: PREFIX_A } }, query] }), {
      sort: [{ attribute_name: 'birth_date', sort_order: 'asc' }],
    });

  beforeAll(async () => {
    env = await TestEnvironment.create();
    app = await ServiceApp.start(definition, env.env('social-register'));
    sender = await CallbackServer.start();
    client = await registerClient(app, 'spmis-conf', sender.url);
    limited = await registerClient(app, 'spmis-limited', sender.url, {
      purposeAttributes: { 'benefit-eligibility': ['name', 'birth_date', 'group_size', 'member_list'], default: ['name'] },
    });
    sender.registerKey = await registerPublicKey(app);
    dci = dciCaller(app, client);

    await person('adult', { lastName: 'Адульт', sex: 'female', birthDate: bornYearsAgo(18), katottg: AREA_A, unzr: true }); // 18 today (the birthday)
    await person('minor', { lastName: 'Мінор', sex: 'male', birthDate: bornYearsAgo(18, -1), katottg: AREA_A }); // 18 tomorrow
    await person('senior', { lastName: 'Сеньйор', sex: 'female', birthDate: bornYearsAgo(70, 10), katottg: AREA_A2 });
    await person('loner', { lastName: 'Самітник', sex: 'male', birthDate: bornYearsAgo(25, 40), katottg: AREA_A2 });
    await person('man40', { lastName: 'Сорокарічний', sex: 'male', birthDate: bornYearsAgo(40, 3), katottg: AREA_B });
    await person('lviv', { lastName: 'Львів', sex: 'female', birthDate: bornYearsAgo(30), katottg: LVIV });
    await household('h1', AREA_A, [
      ['adult', 'recipient'],
      ['senior', 'head'],
      ['minor', 'dependant'],
    ]);
    await household('h2', AREA_B, [['man40', 'head']]);
    await household('lviv', LVIV, [['lviv', 'head']]);
  });

  afterAll(async () => {
    await app?.close();
    await sender?.stop();
    await env?.destroy();
  });

  describe('query_type idtype-value (SubscriptionInfo.filter anyOf/1: IdType and value)', () => {
    it('maps the identifier types to РНОКПП, УНЗР, document numbers and the register id, and rejects an unknown type per item, not per message', async () => {
      const body = await dci.syncSearch([
        dci.item('r-rnokpp', 'idtype-value', { type: 'RNOKPP', value: people.adult.rnokpp }),
        dci.item('r-ns', 'idtype-value', { type: 'ns:ua:IdType:RNOKPP', value: people.minor.rnokpp }),
        dci.item('r-unzr', 'idtype-value', { type: 'UNZR', value: people.adult.unzr }),
        dci.item('r-uin', 'idtype-value', { type: 'UIN', value: people.adult.unzr }),
        dci.item('r-id', 'idtype-value', { type: 'ID', value: people.senior.id }),
        dci.item('r-passport', 'idtype-value', { type: 'PASSPORT', value: 'МЕ123456' }),
        dci.item('r-mobile', 'idtype-value', { type: 'MOBILE', value: '+380501234567' }),
        dci.item('r-lviv', 'idtype-value', { type: 'RNOKPP', value: people.lviv.rnokpp }),
      ]);
      // MsgCallbackHeader_V1.0.0: the message as a whole succeeds; each SearchResponse item has its own status.
      expect(body.header).toMatchObject({ status: 'succ', total_count: 8, completed_count: 8 });
      const byRef = Object.fromEntries(body.message.search_response.map((r) => [r.reference_id, r]));
      expect(ids(byRef['r-rnokpp'])).toEqual(persons('adult'));
      expect(ids(byRef['r-ns'])).toEqual(persons('minor'));
      expect(ids(byRef['r-unzr'])).toEqual(persons('adult'));
      expect(ids(byRef['r-uin'])).toEqual(persons('adult'));
      expect(ids(byRef['r-id'])).toEqual(persons('senior'));
      // the register holds no document numbers: a known type that finds nothing
      expect(byRef['r-passport']).toMatchObject({ status: 'succ', pagination: { total_count: 0 }, data: { reg_records: [] } });
      // SearchStatusReasonCode: rjct.search_criteria.invalid for that item only
      expect(byRef['r-mobile']).toMatchObject({
        status: 'rjct',
        status_reason_code: 'rjct.search_criteria.invalid',
        status_reason_message: expect.stringContaining('MOBILE'),
      });
      expect(byRef['r-mobile'].data).toBeUndefined();
      // outside the client's territory
      expect(byRef['r-lviv'].pagination.total_count).toBe(0);
    });

    it('answers SRPerson records as the spec’s reg_records example: identifier[] of Identifier, Name, Address with the КАТОТТГ', async () => {
      const item = await dci.searchOne('idtype-value', { type: 'RNOKPP', value: people.adult.rnokpp });
      expect(item.data).toMatchObject({ version: '1.0.0', reg_type: 'ns:ua:RegistryType:Social', reg_record_type: 'SRPerson' });
      const [r] = item.data.reg_records;
      expect(r).toMatchObject({
        '@type': 'SRPerson',
        '@id': `urn:eisss:social-register:person:${people.adult.id}`,
        name: { '@type': 'Name', surname: 'Адульт', given_name: 'Тест' },
        sex: 'female',
        birth_date: people.adult.birthDate,
        address: { '@type': 'Address', address_line1: 'адреса adult', admin_area_code: AREA_A, country: 'UA' },
        phone_number: '+380501234567',
        email: 'adult@example.com',
      });
      expect(r.identifier).toEqual([
        { '@type': 'Identifier', identifier_type: 'RNOKPP', identifier_value: people.adult.rnokpp },
        { '@type': 'Identifier', identifier_type: 'UNZR', identifier_value: people.adult.unzr },
        { '@type': 'Identifier', identifier_type: 'ID', identifier_value: people.adult.id },
      ]);
      expect(r.additional_attributes).toEqual([{ statuses: [] }, { household: { household_id: households.h1, role: 'recipient' } }]);
    });
  });

  describe('query_type expression (SearchRequest.search_criteria.query: expression, collection Person)', () => {
    it.each([
      ['$eq', 18, ['adult']],
      ['$lt', 18, ['minor']],
      ['$le', 17, ['minor']],
      ['$le', 18, ['adult', 'minor']],
      ['$gt', 17, ['adult', 'senior', 'loner']],
      ['$ge', 18, ['adult', 'senior', 'loner']],
      ['$in', [17, 70], ['minor', 'senior']],
    ] as const)(
      'age %s %j: derived from the birth date on the query date (18 on the birthday, 17 the day before)',
      async (op, value, expected) => {
        const item = await inAreaA({ age: { [op]: value } });
        expect(item.status).toBe('succ');
        expect(ids(item)).toEqual(persons(...(expected as unknown as (keyof typeof people)[])));
      },
    );

    it('gender, location as a КАТОТТГ prefix, $in of locations, names and dates', async () => {
      expect(ids(await inAreaA({ gender: { $eq: 'female' } }))).toEqual(persons('adult', 'senior'));
      expect(ids(await inAreaA({ sex: { $in: ['male'] } }))).toEqual(persons('minor', 'loner'));
      expect(ids(await dci.searchOne('expression', expression({ location: { $eq: PREFIX_A } })))).toEqual(
        persons('adult', 'minor', 'senior', 'loner'),
      );
      expect(ids(await dci.searchOne('expression', expression({ location: { $eq: AREA_A } })))).toEqual(persons('adult', 'minor'));
      expect(ids(await dci.searchOne('expression', expression({ location: { $in: [AREA_A2, 'UA800000000006'] } })))).toEqual(
        persons('senior', 'loner', 'man40'),
      );
      expect(ids(await inAreaA({ last_name: { $eq: 'сеньйор' } }))).toEqual(persons('senior'));
      expect(ids(await inAreaA({ birth_date: { $ge: people.adult.birthDate } }))).toEqual(persons('adult', 'minor'));
      expect(ids(await inAreaA({ registration_date: { $le: today } }))).toEqual(persons('adult', 'minor', 'senior', 'loner'));
    });

    it('$or and $not, and nested', async () => {
      expect(ids(await inAreaA({ $or: [{ age: { $lt: 18 } }, { age: { $ge: 65 } }] }))).toEqual(persons('minor', 'senior'));
      expect(ids(await inAreaA({ $not: { gender: 'female' } }))).toEqual(persons('minor', 'loner'));
      expect(ids(await inAreaA({ $or: [{ $not: { age: { $ge: 18 } } }, { $and: [{ gender: 'female' }, { age: { $gt: 60 } }] }] }))).toEqual(
        persons('minor', 'senior'),
      );
    });

    it('group_size is the size of the person’s household (no household: the condition is false, $not of it true)', async () => {
      expect(ids(await inAreaA({ group_size: { $eq: 3 } }))).toEqual(persons('adult', 'minor', 'senior'));
      expect(ids(await inAreaA({ $not: { group_size: { $ge: 1 } } }))).toEqual(persons('loner'));
      expect(ids(await dci.searchOne('expression', expression({ group_size: { $lt: 2 } })))).toEqual(persons('man40'));
    });

    it('poverty_score is accepted but unknown to the register: a condition on it matches nothing', async () => {
      const none = await inAreaA({ poverty_score: { $lt: 100 } });
      expect(none).toMatchObject({ status: 'succ', pagination: { total_count: 0 } });
      expect(ids(await inAreaA({ $not: { poverty_score: { $lt: 100 } } }))).toEqual(persons('adult', 'minor', 'senior', 'loner'));
    });

    it('rejects an unknown attribute, a disallowed operator, a non-КАТОТТГ location and an unknown collection per item (rjct.search_criteria.invalid)', async () => {
      const body = await dci.syncSearch([
        dci.item('r-attr', 'expression', expression({ shoe_size: { $lt: 5 } })),
        dci.item('r-op', 'expression', expression({ last_name: { $gt: 'А' } })),
        dci.item('r-loc', 'expression', expression({ location: { $eq: 'central_region' } })),
        dci.item('r-coll', 'expression', { type: 'expression', value: { expression: { collection: 'Vehicle', query: { age: 1 } } } }),
        dci.item('r-ok', 'expression', expression({ age: { $eq: 18 }, location: PREFIX_A })),
      ]);
      const [a, b, c, d, ok] = body.message.search_response;
      for (const r of [a, b, c, d]) expect(r).toMatchObject({ status: 'rjct', status_reason_code: 'rjct.search_criteria.invalid' });
      expect(ids(ok)).toEqual(persons('adult'));
    });
  });

  describe('query_type predicate (SubscriptionInfo.filter anyOf/2: expression1, condition and|or|not, expression2)', () => {
    it.each([
      ['eq', 'age', '18', ['adult']],
      ['lt', 'age', '18', ['minor']],
      ['gt', 'age', '18', ['senior', 'loner']],
      ['le', 'age', '18', ['adult', 'minor']],
      ['ge', 'age', '25', ['senior', 'loner']],
      ['in', 'age', '17, 70', ['minor', 'senior']],
      ['in', 'gender', 'female', ['adult', 'senior']],
      ['eq', 'gender', 'male', ['minor', 'loner']],
    ] as const)(
      'operator %s on %s %j (attribute_value is string | integer | number | boolean | object: numbers and lists are sent as text, as the spec’s example "1980")',
      async (operator, attr, value, expected) => {
        const item = await dci.searchOne('predicate', [
          {
            seq_num: 1,
            expression1: predicate('location', 'eq', PREFIX_A),
            condition: 'and',
            expression2: predicate(attr, operator, value),
          },
        ]);
        expect(ids(item)).toEqual(persons(...(expected as unknown as (keyof typeof people)[])));
      },
    );

    it('condition or and not, items joined by and in seq_num order', async () => {
      const or = await dci.searchOne('predicate', [
        { seq_num: 2, expression1: predicate('age', 'lt', '18'), condition: 'or', expression2: predicate('age', 'ge', '65') },
        { seq_num: 1, expression1: predicate('location', 'eq', PREFIX_A) },
      ]);
      expect(ids(or)).toEqual(persons('minor', 'senior'));
      const not = await dci.searchOne('predicate', [
        {
          seq_num: 1,
          expression1: predicate('location', 'eq', PREFIX_A),
          condition: 'not',
          expression2: predicate('gender', 'eq', 'female'),
        },
      ]);
      expect(ids(not)).toEqual(persons('minor', 'loner'));
      const groupSize = await dci.searchOne('predicate', [
        {
          seq_num: 1,
          expression1: predicate('group_size', 'ge', '3'),
          condition: 'and',
          expression2: predicate('poverty_score', 'lt', '50'),
        },
      ]);
      expect(groupSize.pagination.total_count).toBe(0);
    });
  });

  describe('groups (search_criteria.response_entity Group; SRGroup records)', () => {
    const group = (query: unknown, extra: Record<string, unknown> = {}) =>
      dci.searchOne('expression', expression(query, 'Group'), {
        response_entity: 'Group',
        sort: [{ attribute_name: 'group_size', sort_order: 'desc' }],
        ...extra,
      });

    it('answers a household as the spec’s Group: group_identifier, group_type, group_size, address, head and members with their roles', async () => {
      const item = await group({ location: AREA_A });
      expect(item).toMatchObject({ status: 'succ', data: { reg_record_type: 'SRGroup' }, pagination: { total_count: 1 } });
      const [g] = item.data.reg_records;
      expect(g).toMatchObject({
        '@type': 'Group',
        '@id': `urn:eisss:social-register:household:${households.h1}`,
        group_identifier: [{ '@type': 'Identifier', identifier_type: 'ID', identifier_value: households.h1 }],
        group_type: 'household',
        group_size: 3,
        address: { '@type': 'Address', admin_area_code: AREA_A, country: 'UA' },
        place: { '@type': 'Place', address: 'домогосподарство h1' },
      });
      expect(g.member_list.map((m: any) => [idOf(m), m.additional_attributes[0].role])).toEqual([
        [people.senior.id, 'head'],
        [people.adult.id, 'recipient'],
        [people.minor.id, 'dependant'],
      ]);
      expect(g.group_head_info).toMatchObject({ '@type': 'Member', '@id': `urn:eisss:social-register:person:${people.senior.id}` });
      const member = g.member_list[1];
      expect(member.member_identifier).toContainEqual({
        '@type': 'Identifier',
        identifier_type: 'RNOKPP',
        identifier_value: people.adult.rnokpp,
      });
      expect(member.demographic_info).toMatchObject({
        '@type': 'SRPerson',
        name: { '@type': 'Name', surname: 'Адульт' },
        birth_date: people.adult.birthDate,
      });
    });

    it('group_size with each operator, location, and territory scoping', async () => {
      expect(ids(await group({ location: 'UA80' }))).toEqual(groups('h1', 'h2'));
      expect(ids(await group({ group_size: { $eq: 3 } }))).toEqual(groups('h1'));
      expect(ids(await group({ group_size: { $lt: 2 } }))).toEqual(groups('h2'));
      expect(ids(await group({ group_size: { $le: 1 } }))).toEqual(groups('h2'));
      expect(ids(await group({ group_size: { $gt: 1 } }))).toEqual(groups('h1'));
      expect(ids(await group({ group_size: { $ge: 1 } }))).toEqual(groups('h1', 'h2'));
      expect(ids(await group({ group_size: { $in: [1, 5] } }))).toEqual(groups('h2'));
    });

    it('member attributes: the member conditions of one conjunction hold for the same member; $or and $not', async () => {
      expect(ids(await group({ age: { $lt: 18 } }))).toEqual(groups('h1'));
      // h1 has a male member (17) and a member aged ≥ 30 (a woman): only h2 has a man of 30 or more
      expect(ids(await group({ gender: 'male', age: { $ge: 30 } }))).toEqual(groups('h2'));
      expect(ids(await group({ $or: [{ age: { $lt: 18 } }, { group_size: 1 }] }))).toEqual(groups('h1', 'h2'));
      expect(ids(await group({ $not: { gender: 'female' } }))).toEqual(groups('h2'));
    });

    it('the spec’s own example query ($and of poverty_score, location, group_size): poverty_score is unknown, so nothing matches', async () => {
      const item = await group({ $and: [{ poverty_score: { $lt: 5 } }, { location: { $eq: 'UA80' } }, { group_size: { $lt: 5 } }] });
      expect(item).toMatchObject({ status: 'succ', pagination: { total_count: 0 }, data: { reg_records: [] } });
    });

    it('idtype-value and predicate queries on groups (the household id; a member’s РНОКПП)', async () => {
      expect(ids(await dci.searchOne('idtype-value', { type: 'ID', value: households.h2 }, { response_entity: 'Group' }))).toEqual(
        groups('h2'),
      );
      expect(
        ids(await dci.searchOne('idtype-value', { type: 'RNOKPP', value: people.minor.rnokpp }, { response_entity: 'Group' })),
      ).toEqual(groups('h1'));
      expect(ids(await dci.searchOne('idtype-value', { type: 'ID', value: households.h1 }, { reg_record_type: 'SRGroup' }))).toEqual(
        groups('h1'),
      );
      expect(ids(await dci.searchOne('idtype-value', { type: 'ID', value: households.lviv }, { response_entity: 'Group' }))).toEqual([]);
      const p = await dci.searchOne(
        'predicate',
        [
          {
            seq_num: 1,
            expression1: predicate('group_size', 'ge', '1'),
            condition: 'and',
            expression2: predicate('location', 'eq', 'UA800000000006'),
          },
        ],
        { response_entity: 'Group' },
      );
      expect(ids(p)).toEqual(groups('h2'));
    });

    it('rejects a request whose response_entity and collection disagree, and an unsupported group sort', async () => {
      const body = await dci.syncSearch([
        dci.item('r-disagree', 'expression', expression({ group_size: 1 }, 'Group'), { response_entity: 'Member' }),
        dci.item('r-sort', 'expression', expression({ group_size: 1 }, 'Group'), {
          response_entity: 'Group',
          sort: [{ attribute_name: 'last_name' }],
        }),
      ]);
      expect(body.message.search_response[0]).toMatchObject({ status: 'rjct', status_reason_code: 'rjct.search_criteria.invalid' });
      expect(body.message.search_response[1]).toMatchObject({ status: 'rjct', status_reason_code: 'rjct.sort.invalid' });
    });
  });

  describe('pagination (SearchRequest.search_criteria.pagination → SearchResponse.search_response[].pagination)', () => {
    const page = (page_size: number, page_number?: number) =>
      dci.searchOne('expression', expression({ location: PREFIX_A }), {
        sort: [{ attribute_name: 'birth_date', sort_order: 'asc' }],
        pagination: { page_size, ...(page_number ? { page_number } : {}) },
      });

    it('serves page_number (from 1, default 1) of page_size records and the total_count of all matches', async () => {
      const order = [people.senior.id, people.loner.id, people.adult.id, people.minor.id];
      const p1 = await page(3);
      expect(p1.pagination).toEqual({ page_size: 3, page_number: 1, total_count: 4 });
      expect(p1.data.reg_records.map(idOf)).toEqual(order.slice(0, 3));
      const p2 = await page(3, 2);
      expect(p2.pagination).toEqual({ page_size: 3, page_number: 2, total_count: 4 });
      expect(p2.data.reg_records.map(idOf)).toEqual(order.slice(3));
      const p3 = await page(3, 3);
      expect(p3).toMatchObject({ status: 'succ', pagination: { page_number: 3, total_count: 4 }, data: { reg_records: [] } });
    });

    it('serves a page longer than MAX_PAGE_SIZE at MAX_PAGE_SIZE (500), and rejects a page_number below 1', async () => {
      const big = await page(2000);
      expect(big).toMatchObject({ status: 'succ', pagination: { page_size: 500, page_number: 1, total_count: 4 } });
      const body = await dci.syncSearch([
        dci.item('r-zero', 'expression', expression({ location: PREFIX_A }), { pagination: { page_size: 10, page_number: 0 } }),
        dci.item('r-size', 'expression', expression({ location: PREFIX_A }), { pagination: { page_size: 0 } }),
      ]);
      for (const r of body.message.search_response)
        expect(r).toMatchObject({ status: 'rjct', status_reason_code: 'rjct.pagination.invalid' });
    });

    it('pages groups the same way', async () => {
      const g = await dci.searchOne('expression', expression({ location: 'UA80' }, 'Group'), {
        response_entity: 'Group',
        sort: [{ attribute_name: 'group_size', sort_order: 'desc' }],
        pagination: { page_size: 1, page_number: 2 },
      });
      expect(g.pagination).toEqual({ page_size: 1, page_number: 2, total_count: 2 });
      expect(ids(g)).toEqual(groups('h2'));
    });
  });

  describe('attributes limited by the client’s purpose (search_criteria.consent.purpose; the client register’s purposeAttributes)', () => {
    let lim: ReturnType<typeof dciCaller>;
    beforeAll(() => {
      lim = dciCaller(app, limited);
    });
    const consent = (code: string) => ({
      consent: { '@type': 'Consent', ts: new Date().toISOString(), purpose: { text: 'eligibility check', code } },
    });

    it('gives a purpose’s attributes only, with @type, @id and the register id always (national identifiers need `identifier`)', async () => {
      const item = await lim.searchOne('idtype-value', { type: 'RNOKPP', value: people.adult.rnokpp }, consent('benefit-eligibility'));
      const [r] = item.data.reg_records;
      expect(Object.keys(r).sort()).toEqual(['@id', '@type', 'birth_date', 'identifier', 'name']);
      expect(r.identifier).toEqual([{ '@type': 'Identifier', identifier_type: 'ID', identifier_value: people.adult.id }]);
      const g = (
        await lim.searchOne(
          'idtype-value',
          { type: 'ID', value: households.h1 },
          { response_entity: 'Group', ...consent('benefit-eligibility') },
        )
      ).data.reg_records[0];
      expect(Object.keys(g).sort()).toEqual([
        '@id',
        '@type',
        'group_head_info',
        'group_identifier',
        'group_size',
        'group_type',
        'member_list',
      ]);
      expect(Object.keys(g.member_list[0].demographic_info).sort()).toEqual(['@id', '@type', 'birth_date', 'identifier', 'name']);
      expect(g.member_list[0].member_identifier).toEqual([
        { '@type': 'Identifier', identifier_type: 'ID', identifier_value: people.senior.id },
      ]);
    });

    it('uses the client’s default purpose when none is named, and rejects a purpose the client does not have per item', async () => {
      const body = await lim.syncSearch([
        lim.item('r-default', 'idtype-value', { type: 'RNOKPP', value: people.minor.rnokpp }),
        lim.item('r-other', 'idtype-value', { type: 'RNOKPP', value: people.minor.rnokpp }, consent('marketing')),
      ]);
      const [byDefault, other] = body.message.search_response;
      expect(Object.keys(byDefault.data.reg_records[0]).sort()).toEqual(['@id', '@type', 'identifier', 'name']);
      expect(other).toMatchObject({
        status: 'rjct',
        status_reason_code: 'rjct.search_criteria.invalid',
        status_reason_message: expect.stringContaining('marketing'),
      });
    });

    it('refuses conditions on attributes the purpose may not see (an expression on location would reveal the address), per item; an identifier lookup stays allowed', async () => {
      const body = await lim.syncSearch([
        lim.item(
          'r-age',
          'expression',
          { type: 'expression', value: { expression: { query: { $and: [{ last_name: { $eq: 'Будь-хто' } }, { age: { $ge: 18 } }] } } } },
          consent('benefit-eligibility'),
        ),
        lim.item(
          'r-where',
          'expression',
          { type: 'expression', value: { expression: { query: { location: { $eq: 'UA80' } } } } },
          consent('benefit-eligibility'),
        ),
        lim.item('r-id', 'idtype-value', { type: 'RNOKPP', value: people.adult.rnokpp }, consent('benefit-eligibility')),
      ]);
      const [age, where, byId] = body.message.search_response;
      expect(age.status).toBe('succ');
      expect(where).toMatchObject({
        status: 'rjct',
        status_reason_code: 'rjct.search_criteria.invalid',
        status_reason_message: expect.stringContaining('katottg'),
      });
      expect(byId.status).toBe('succ');
    });

    it('keeps the setting in the client register (admin API), refuses unknown attributes, and null removes the limit', async () => {
      const got = await app.http().get(`/dci/clients/${limited.id}`).set('authorization', `Bearer ${admin}`);
      expect(got.body.purposeAttributes).toEqual({
        'benefit-eligibility': ['name', 'birth_date', 'group_size', 'member_list'],
        default: ['name'],
      });
      const bad = await app
        .http()
        .patch(`/dci/clients/${limited.id}`)
        .set('authorization', `Bearer ${admin}`)
        .send({ purposeAttributes: { x: ['salary'] } });
      expect(bad.status).toBe(400);
      const other = await registerClient(app, 'spmis-limited-2', sender.url, { purposeAttributes: { default: ['sex'] } });
      const cleared = await app
        .http()
        .patch(`/dci/clients/${other.id}`)
        .set('authorization', `Bearer ${admin}`)
        .send({ purposeAttributes: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body.purposeAttributes).toBeNull();
      const all = await dciCaller(app, other).searchOne('idtype-value', { type: 'RNOKPP', value: people.adult.rnokpp });
      expect(all.data.reg_records[0]).toHaveProperty('email', 'adult@example.com');
    });
  });

  describe('async search (POST /registry/search → ACK, then the on-search callback)', () => {
    it('acknowledges and posts a SearchResponse for persons and groups with each query type to the sender_uri, validated against the spec', async () => {
      const senderUri = `${sender.url}/spmis/callback/on-search`;
      const transactionId = `txn-conf-async-${randomUUID()}`;
      const items = [
        dci.item('a-id', 'idtype-value', { type: 'RNOKPP', value: people.adult.rnokpp }),
        dci.item('a-expr', 'expression', expression({ $or: [{ group_size: { $ge: 3 } }, { location: 'UA800000000006' }] }, 'Group'), {
          response_entity: 'Group',
        }),
        dci.item('a-pred', 'predicate', [
          { seq_num: 1, expression1: predicate('location', 'eq', PREFIX_A), condition: 'and', expression2: predicate('age', 'lt', '18') },
        ]),
        dci.item('a-bad', 'idtype-value', { type: 'BRN', value: '123' }),
      ];
      const res = await dci.send('/registry/search', {
        header: dci.header('search', items.length, { sender_uri: senderUri }),
        message: { transaction_id: transactionId, search_request: items },
      });
      expect(res.status).toBe(200);
      expect(dci.spec.validateAck(res.body)).toEqual([]);
      expect(res.body.message.ack_status).toBe('ACK');

      // Whichever path the callback arrives on (sender_uri as given: MsgHeader_V1.0.0.sender_uri "sender url to accept callbacks").
      const received = await expectEventually(() => {
        const c = sender.received.find((x) => x.body?.message?.transaction_id === transactionId);
        expect(c).toBeDefined();
        return c!;
      });
      expect(received.path).toBe('/spmis/callback/on-search');
      expect(received.signatureProblem).toBeNull();
      expect(describeErrors(dci.spec.validateCallback('/registry/on-search', received.body))).toBe(describeErrors([]));
      expect(dci.spec.validateSchema('SearchResponse', received.body.message)).toEqual([]);
      expect(received.body.header).toMatchObject({
        action: 'on-search',
        status: 'succ',
        total_count: 4,
        completed_count: 4,
        receiver_id: 'spmis-conf',
      });
      expect(received.body.message.correlation_id).toBe(res.body.message.correlation_id);
      const byRef = Object.fromEntries(received.body.message.search_response.map((r: any) => [r.reference_id, r]));
      expect(ids(byRef['a-id'])).toEqual(persons('adult'));
      expect(byRef['a-expr'].data.reg_record_type).toBe('SRGroup');
      expect(ids(byRef['a-expr'])).toEqual(groups('h1', 'h2'));
      expect(ids(byRef['a-pred'])).toEqual(persons('minor'));
      expect(byRef['a-bad']).toMatchObject({ status: 'rjct', status_reason_code: 'rjct.search_criteria.invalid' });
    });
  });
});
