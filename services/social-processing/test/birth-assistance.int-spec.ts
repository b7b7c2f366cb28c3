import { AssignmentGrantedV2, PersonRegisteredV1 } from '@eisss/contracts';
import { expectEventually } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { KATOTTG, ProcessingHarness, tokens } from './processing-harness';

/** Birth assistance per child through the API: twins are two children and two amounts; a stillborn child is refused with its own code. */
describe('social-processing birth assistance per child', () => {
  let h: ProcessingHarness;

  async function person(birthDate: string, lastName = 'Мельник'): Promise<string> {
    const personId = randomUUID();
    await h.publish(
      PersonRegisteredV1,
      {
        personId,
        rnokppMasked: null,
        name: { lastName, firstName: 'Дитина', patronymic: null },
        birthDate,
        sex: 'female',
        deathDate: null,
        katottg: KATOTTG,
        registeredAt: '2026-01-01T10:00:00.000Z',
      },
      personId,
    );
    return personId;
  }

  async function projected(ids: string[]): Promise<void> {
    await expectEventually(
      async () => {
        const r = await h.sql.query(
          `SELECT count(*)::int AS n FROM social_processing.person_projection WHERE person_id = ANY($1::uuid[])`,
          [ids],
        );
        expect(r.rows[0].n).toBe(ids.length);
      },
      { timeoutMs: 20000 },
    );
  }

  function application(mother: string, children: { personId: string; stillborn?: boolean }[], receivedOn: string) {
    return h.application(mother, {
      programmeCodes: ['birth-assistance'],
      receivedOn,
      channel: 'cnap',
      household: {
        members: [
          { personId: mother, role: 'applicant', relation: 'self' },
          ...children.map((c) => ({ ...c, role: 'member', relation: 'child' })),
        ],
      },
      consents: [
        { type: 'personal-data-processing', givenOn: receivedOn },
        { type: 'registers-check', givenOn: receivedOn },
      ],
    });
  }

  /** Maker-checker (on by default): an officer proposes, a supervisor approves. */
  async function decide(id: string, outcome: 'granted' | 'refused') {
    await expectEventually(async () => expect((await h.getApplication(id)).decisions[0].status).toBe('awaiting_officer'), {
      timeoutMs: 15000,
    });
    const proposed = await h
      .http()
      .post(`/applications/${id}/decisions/birth-assistance/proposal`)
      .set('authorization', `Bearer ${tokens.officer}`)
      .send({ outcome });
    expect(proposed.status).toBe(200);
    const approved = await h
      .http()
      .post(`/applications/${id}/decisions/birth-assistance/approval`)
      .set('authorization', `Bearer ${tokens.supervisor}`)
      .send({ approve: true });
    expect(approved.status).toBe(200);
    return approved.body;
  }

  const granted = (applicationId: string) =>
    expectEventually(
      () => {
        const [e] = h.published(AssignmentGrantedV2, (x) => x.payload.assignment.applicationId === applicationId);
        expect(e).toBeDefined();
        return e!.payload.assignment;
      },
      { timeoutMs: 15000 },
    );

  beforeAll(async () => {
    h = await ProcessingHarness.start([AssignmentGrantedV2]);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('pays twins born in 2026 two amounts of 50 000 UAH, with both children on the assignment', async () => {
    const [mother, a, b] = [await person('1994-01-01', 'Мати'), await person('2026-01-20'), await person('2026-01-20')];
    await projected([mother, a, b]);
    const res = await h.submit(application(mother, [{ personId: a }, { personId: b }], '2026-02-02'));
    expect(res.status).toBe(201);
    await h.passVerification(res.body.id);
    const view = await decide(res.body.id, 'granted');
    expect(view.decisions[0]).toMatchObject({ status: 'granted', ruleSetVersion: 'birth-assistance@2026-01-01' });
    const assignment = await granted(res.body.id);
    expect(assignment.months.map((m) => [m.month, m.amountKopiyky])).toEqual([['2026-02', '10000000']]);
    expect([...assignment.memberPersonIds].sort()).toEqual([mother, a, b].sort());
    const amounts = (
      view.decisions[0].explanation.children as {
        rule: string;
        children?: { rule: string; facts: { childPersonId?: string }; amountKopiyky?: string }[];
      }[]
    )
      .find((c) => c.rule === 'birth')!
      .children!.filter((c) => c.rule === 'birth.amount-50000');
    expect(amounts.map((n) => [n.facts.childPersonId, n.amountKopiyky]).sort()).toEqual(
      [
        [a, '5000000'],
        [b, '5000000'],
      ].sort(),
    );
  });

  it('pays twins born either side of midnight 31.12.2025 each by its own birth date (legacy 41 280 + 50 000)', async () => {
    const [mother, a, b] = [await person('1993-01-01', 'Мати'), await person('2025-12-31'), await person('2026-01-01')];
    await projected([mother, a, b]);
    const res = await h.submit(application(mother, [{ personId: a }, { personId: b }], '2026-01-15'));
    expect(res.status).toBe(201);
    await h.passVerification(res.body.id);
    await decide(res.body.id, 'granted');
    const assignment = await granted(res.body.id);
    expect(assignment.months).toHaveLength(37);
    expect(assignment.months[0]).toMatchObject({ month: '2026-01', amountKopiyky: String(5000000 + 1032000) });
    expect(assignment.months[1]).toMatchObject({ month: '2026-02', amountKopiyky: '86000' });
    expect(assignment.months.reduce((s, m) => s + BigInt(m.amountKopiyky), 0n)).toBe(5000000n + 4128000n);
  });

  it('refuses a stillborn child with its own reason code', async () => {
    const [mother, a] = [await person('1992-01-01', 'Мати'), await person('2026-01-10')];
    await projected([mother, a]);
    const res = await h.submit(application(mother, [{ personId: a, stillborn: true }], '2026-01-20'));
    expect(res.status).toBe(201);
    await h.passVerification(res.body.id);
    const view = await decide(res.body.id, 'refused');
    expect(view.decisions[0]).toMatchObject({ status: 'refused', assignmentId: null });
    expect(view.decisions[0].reasons.map((r: { code: string }) => r.code)).toEqual(['STILLBORN']);
    expect(h.published(AssignmentGrantedV2, (x) => x.payload.assignment.applicationId === res.body.id)).toEqual([]);
  });
});
