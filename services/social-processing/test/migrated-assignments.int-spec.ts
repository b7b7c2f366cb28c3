import {
  AssignmentChangedV2,
  AssignmentGrantedV2,
  AssignmentMigratedV1,
  PersonRegisteredV1,
  dlqTopic,
  type PayloadOf,
} from '@eisss/contracts';
import { maskIban } from '@eisss/platform';
import { KafkaProbe, envelopeOf, expectEventually, openedByTreasury, produceRaw } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { KATOTTG, ProcessingHarness, ibanOf, tokens } from './processing-harness';

type Migrated = PayloadOf<typeof AssignmentMigratedV1>;
const GROUP = 'social-processing.migrated-assignments';

/**
 * Issue 14: the register's imported active assignments (AssignmentMigratedV1) are taken over by
 * processing: one assignment per legacy case, granted like a decided one (the register's approved
 * account, AssignmentGrantedV2 through the outbox) and marked with its legacy source.
 */
describe('social-processing migrated assignments', () => {
  let h: ProcessingHarness;
  let dlq: KafkaProbe;
  const dlqOf = () => h.env.topicPrefix + dlqTopic(AssignmentMigratedV1.topic);

  const migrated = (personId: string, over: Partial<Migrated> = {}): Migrated => ({
    importJobId: randomUUID(),
    sourceSystem: 'asopd',
    legacyCaseNumber: `ASOPD-${randomUUID().slice(0, 8)}`,
    personId,
    householdId: randomUUID(),
    katottg: KATOTTG,
    programmeCode: 'idp-living-allowance',
    periodFrom: '2026-09',
    periodTo: '2027-02',
    monthlyAmountKopiyky: '300000',
    decision: { number: '45/2026', date: '2026-08-20' },
    requestedBy: 'registrar-1',
    approvedBy: 'supervisor-1',
    ...over,
  });
  /** Produces an envelope (or a redelivery of one) as the register's outbox relay does. */
  const produce = (e: ReturnType<typeof envelopeOf<typeof AssignmentMigratedV1>>) =>
    produceRaw(h.topic(AssignmentMigratedV1), [
      { key: e.aggregateId, value: JSON.stringify(e), headers: { 'event-id': e.eventId, 'event-type': e.eventType } },
    ]);
  const grantedFor = (legacyCaseNumber: string) =>
    h.published(AssignmentGrantedV2, (x) => x.payload.assignment.origin?.legacyCaseNumber === legacyCaseNumber);
  const inboxed = (eventId: string) =>
    expectEventually(
      async () => {
        const r = await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.inbox WHERE consumer_group = $1 AND event_id = $2`, [
          GROUP,
          eventId,
        ]);
        expect(r.rows[0].n).toBe(1);
      },
      { timeoutMs: 20000 },
    );
  const assignmentsOfCase = async (legacyCaseNumber: string) =>
    (await h.sql.query(`SELECT id FROM social_processing.assignment WHERE origin->>'legacyCaseNumber' = $1`, [legacyCaseNumber])).rows.map(
      (r) => r.id as string,
    );

  beforeAll(async () => {
    h = await ProcessingHarness.start([AssignmentGrantedV2, AssignmentChangedV2]);
    dlq = await KafkaProbe.start([dlqOf()]);
  });

  afterAll(async () => {
    await dlq?.stop();
    await h?.close();
  });

  describe('a legacy case of a person with an approved account', () => {
    let personId: string;
    let payload: Migrated;
    let event: ReturnType<typeof envelopeOf<typeof AssignmentMigratedV1>>;
    let assignmentId: string;
    const iban = ibanOf('0000026007233500101');

    beforeAll(async () => {
      personId = await h.idpPerson('1979-02-11', 'Бондар');
      const account = await h.registerAccount(personId, { method: 'bank', iban }, 1, 'Бондар Олена');
      await expectEventually(async () => expect(await h.accountVersion(personId)).toBe(1), { timeoutMs: 20000 });
      payload = migrated(personId);
      event = envelopeOf(AssignmentMigratedV1, payload, personId);
      await produce(event);
      expect(account.payload.account).not.toBeNull();
    });

    it('stores the assignment and publishes AssignmentGrantedV2 with its origin and the register account, once', async () => {
      const [granted] = await expectEventually(
        () => {
          const g = grantedFor(payload.legacyCaseNumber);
          expect(g).toHaveLength(1);
          return g;
        },
        { timeoutMs: 20000 },
      );
      const a = granted!.payload.assignment;
      assignmentId = a.assignmentId;
      const text = `перенесено з АСОПД, справа № ${payload.legacyCaseNumber}, рішення № 45/2026 від 20.08.2026; сума за даними системи-джерела`;
      expect(granted!.payload).toMatchObject({ reason: null, effectiveFrom: '2026-09', differences: [] });
      expect(a).toMatchObject({
        version: 1,
        applicationId: null,
        programmeCode: 'idp-living-allowance',
        ruleSetVersion: 'migration@asopd',
        recipientPersonId: personId,
        householdId: payload.householdId,
        memberPersonIds: [personId],
        katottg: KATOTTG,
        periodFrom: '2026-09',
        periodTo: '2027-02',
        status: 'active',
        payment: { method: 'bank', ibanMasked: maskIban(iban) },
        payee: { fullName: 'Бондар Олена' },
        origin: { kind: 'migration', sourceSystem: 'asopd', legacyCaseNumber: payload.legacyCaseNumber, importJobId: payload.importJobId },
      });
      expect(a.months).toEqual(
        ['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02'].map((month) => ({
          month,
          amountKopiyky: '300000',
          explanation: text,
        })),
      );
      expect(await openedByTreasury(a.payment!)).toEqual({ method: 'bank', iban });

      const row = await h.sql.query(
        `SELECT application_id, origin, household_id, status, rule_set_version FROM social_processing.assignment WHERE id = $1`,
        [assignmentId],
      );
      expect(row.rows[0]).toEqual({
        application_id: null,
        origin: a.origin,
        household_id: payload.householdId,
        status: 'active',
        rule_set_version: 'migration@asopd',
      });
      const versions = await h.sql.query(
        `SELECT version, event_type, created_by, approved_by FROM social_processing.assignment_version WHERE assignment_id = $1`,
        [assignmentId],
      );
      expect(versions.rows).toEqual([
        { version: 1, event_type: AssignmentGrantedV2.eventType, created_by: 'registrar-1', approved_by: 'supervisor-1' },
      ]);
      const view = await h.http().get(`/assignments/${assignmentId}`).set('authorization', `Bearer ${tokens.officer}`);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({ applicationId: null, origin: a.origin, explanation: { rule: 'migration.take-over' } });
    });

    it('creates nothing on a redelivery or a second import job of the same legacy case', async () => {
      await produce(event);
      const again = envelopeOf(AssignmentMigratedV1, { ...payload, importJobId: randomUUID(), monthlyAmountKopiyky: '999900' }, personId);
      await produce(again);
      await inboxed(again.eventId);
      // A later event on the same key (same partition) was applied after both: neither published anything.
      const marker = envelopeOf(AssignmentMigratedV1, migrated(personId), personId);
      await produce(marker);
      await expectEventually(() => expect(grantedFor(marker.payload.legacyCaseNumber)).toHaveLength(1), { timeoutMs: 20000 });
      expect(grantedFor(payload.legacyCaseNumber)).toHaveLength(1);
      expect(await assignmentsOfCase(payload.legacyCaseNumber)).toEqual([assignmentId]);
      expect(await h.outbox(AssignmentGrantedV2, assignmentId)).toHaveLength(1);
      expect(dlq.on(dlqOf()).filter((m) => [event.eventId, again.eventId].includes(m.headers['event-id']!))).toEqual([]);
    });

    it('a later account of the register goes onto the migrated assignment, which stays marked with its origin', async () => {
      const next = ibanOf('0000026007233500102');
      await h.registerAccount(personId, { method: 'bank', iban: next }, 2, 'Бондар Олена');
      const changed = await expectEventually(
        () => {
          const c = h.published(AssignmentChangedV2, (x) => x.payload.assignment.assignmentId === assignmentId);
          expect(c).toHaveLength(1);
          return c[0]!.payload;
        },
        { timeoutMs: 20000 },
      );
      expect(changed).toMatchObject({
        reason: { code: 'ACCOUNT_CHANGED' },
        differences: [],
        assignment: { version: 2, payment: { ibanMasked: maskIban(next) }, origin: { legacyCaseNumber: payload.legacyCaseNumber } },
      });
    });
  });

  it('grants without an account while the register holds none; the approved account arrives later and is carried on', async () => {
    const personId = await h.idpPerson('1988-12-01', 'Ткаченко');
    const payload = migrated(personId, { sourceSystem: 'komtekh', decision: null, periodFrom: '2026-10', periodTo: '2026-12' });
    await produce(envelopeOf(AssignmentMigratedV1, payload, personId));
    const granted = await expectEventually(
      () => {
        const [g] = grantedFor(payload.legacyCaseNumber);
        expect(g).toBeDefined();
        return g!.payload.assignment;
      },
      { timeoutMs: 20000 },
    );
    expect(granted).toMatchObject({ payment: null, payee: null, ruleSetVersion: 'migration@komtekh' });
    expect(granted.months.map((m) => [m.month, m.amountKopiyky, m.explanation])).toEqual(
      ['2026-10', '2026-11', '2026-12'].map((m) => [
        m,
        '300000',
        `перенесено з КОМТЕХ, справа № ${payload.legacyCaseNumber}; сума за даними системи-джерела`,
      ]),
    );
    const iban = ibanOf('0000026007233500103');
    await h.registerAccount(personId, { method: 'bank', iban }, 1, 'Ткаченко Олена');
    const changed = await expectEventually(
      () => {
        const [c] = h.published(AssignmentChangedV2, (x) => x.payload.assignment.assignmentId === granted.assignmentId);
        expect(c).toBeDefined();
        return c!.payload.assignment;
      },
      { timeoutMs: 20000 },
    );
    expect(changed).toMatchObject({ version: 2, payment: { ibanMasked: maskIban(iban) }, payee: { fullName: 'Ткаченко Олена' } });
    expect(changed.origin).toEqual(granted.origin);
  });

  it('waits for a recipient not yet projected from the register (retried transiently, then taken over)', async () => {
    const personId = randomUUID();
    const payload = migrated(personId);
    await produce(envelopeOf(AssignmentMigratedV1, payload, personId));
    await new Promise((r) => setTimeout(r, 1500));
    expect(grantedFor(payload.legacyCaseNumber)).toEqual([]);
    await h.publish(
      PersonRegisteredV1,
      {
        personId,
        rnokppMasked: '******4321',
        name: { lastName: 'Мельник', firstName: 'Ірина', patronymic: null },
        birthDate: '1991-07-07',
        sex: 'female',
        deathDate: null,
        katottg: KATOTTG,
        registeredAt: '2026-01-01T10:00:00.000Z',
      },
      personId,
    );
    await expectEventually(() => expect(grantedFor(payload.legacyCaseNumber)).toHaveLength(1), { timeoutMs: 60000 });
  });

  it('sends an unknown programme, a non-positive amount and a deceased recipient to the DLQ with the reason, creating nothing', async () => {
    const personId = await h.idpPerson('1970-03-03', 'Литвин');
    const dead = randomUUID();
    await h.publish(
      PersonRegisteredV1,
      {
        personId: dead,
        rnokppMasked: null,
        name: { lastName: 'Остапенко', firstName: 'Петро', patronymic: null },
        birthDate: '1950-01-01',
        sex: 'male',
        deathDate: '2026-06-30',
        katottg: KATOTTG,
        registeredAt: '2026-01-01T10:00:00.000Z',
      },
      dead,
    );
    await expectEventually(
      async () =>
        expect(
          (await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.person_projection WHERE person_id = $1`, [dead])).rows[0].n,
        ).toBe(1),
      { timeoutMs: 20000 },
    );
    const cases = [
      { over: { programmeCode: 'no-such-programme' }, person: personId, code: 'MIGRATION_PROGRAMME_UNKNOWN', reason: /no-such-programme/ },
      { over: { monthlyAmountKopiyky: '0' }, person: personId, code: 'MIGRATION_AMOUNT_INVALID', reason: /not positive/ },
      { over: { monthlyAmountKopiyky: '-5000' }, person: personId, code: 'MIGRATION_AMOUNT_INVALID', reason: /not positive/ },
      { over: {}, person: dead, code: 'MIGRATION_RECIPIENT_DECEASED', reason: /died on 2026-06-30/ },
    ];
    const events = cases.map((c) => envelopeOf(AssignmentMigratedV1, migrated(c.person, c.over), c.person));
    for (const e of events) await produce(e);
    for (const [i, c] of cases.entries()) {
      const e = events[i]!;
      const dead = await expectEventually(
        () => {
          const m = dlq.on(dlqOf()).find((x) => x.headers['event-id'] === e.eventId);
          expect(m).toBeDefined();
          return m!;
        },
        { timeoutMs: 20000 },
      );
      expect([c.code, dead.headers['dlq-error-code'], dead.headers['dlq-consumer-group']]).toEqual([c.code, c.code, GROUP]);
      expect(dead.headers['dlq-reason']).toMatch(c.reason);
      expect(dead.headers['dlq-reason']).toContain(e.payload.legacyCaseNumber);
      expect(await assignmentsOfCase(e.payload.legacyCaseNumber)).toEqual([]);
      expect(grantedFor(e.payload.legacyCaseNumber)).toEqual([]);
    }
  });
});
