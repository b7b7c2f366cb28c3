import { ApplicationPaymentAccountProposedV1, AssignmentChangedV1, AssignmentGrantedV1, PersonPaymentAccountChangedV1 } from '@eisss/contracts';
import { expectEventually, produceRaw } from '@eisss/testing';
import { ProcessingHarness, ibanOf, tokens } from './processing-harness';

/**
 * Assignments are paid only to the account the register approved for the recipient: an application's
 * account is a proposal sent to the register, and the register's PersonPaymentAccountChangedV1 puts
 * its approved account (and holder) on every open assignment of the person.
 */
describe('social-processing payment accounts', () => {
  let h: ProcessingHarness;
  const typed = ibanOf('0000026007233500001');
  const approved = ibanOf('0000026007233500002');
  const older = ibanOf('0000026007233500003');

  const grantedOf = (applicationId: string) =>
    expectEventually(() => {
      const [e] = h.published(AssignmentGrantedV1, (x) => x.payload.assignment.applicationId === applicationId);
      expect(e).toBeDefined();
      return e!;
    }, { timeoutMs: 15000 });
  const changesOf = (assignmentId: string) => h.published(AssignmentChangedV1, (x) => x.payload.assignment.assignmentId === assignmentId);
  const inboxHas = (eventId: string) =>
    expectEventually(async () => {
      const r = await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.inbox WHERE consumer_group = 'social-processing.payment-account' AND event_id = $1`, [eventId]);
      expect(r.rows[0].n).toBe(1);
    }, { timeoutMs: 20000 });

  beforeAll(async () => {
    h = await ProcessingHarness.start([AssignmentGrantedV1, AssignmentChangedV1]);
  });

  afterAll(async () => {
    await h?.close();
  });

  describe('an application with an IBAN the register does not hold for the applicant', () => {
    let applicant: string;
    let applicationId: string;
    let assignmentId: string;

    beforeAll(async () => {
      applicant = await h.idpPerson('1985-04-10');
    });

    it('grants an assignment without an account (never the typed IBAN) and proposes the typed one to the register', async () => {
      const res = await h.submit(h.application(applicant, { payment: { method: 'bank', iban: typed } }));
      expect(res.status).toBe(201);
      applicationId = res.body.id;
      expect(await h.outbox(ApplicationPaymentAccountProposedV1, applicationId)).toEqual([
        expect.objectContaining({ applicationId, personId: applicant, account: { method: 'bank', iban: typed }, proposedBy: 'officer-1', channel: 'office', katottg: 'UA80000000000093317' }),
      ]);

      await h.passVerification(applicationId);
      await h.decideByTwo(applicationId);
      const g = await grantedOf(applicationId);
      assignmentId = g.payload.assignment.assignmentId;
      expect(g.payload.assignment).toMatchObject({ recipientPersonId: applicant, payment: null, payee: null });
      const row = await h.sql.query(`SELECT payment, payee FROM social_processing.assignment WHERE id = $1`, [assignmentId]);
      expect(row.rows[0]).toEqual({ payment: null, payee: null });
      const everywhere = await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.assignment_version WHERE assignment_id = $1 AND snapshot::text LIKE '%' || $2 || '%'`, [assignmentId, typed]);
      expect(everywhere.rows[0].n).toBe(0);
      const view = await h.http().get(`/assignments/${assignmentId}`).set('authorization', `Bearer ${tokens.officer}`);
      expect(view.body).toMatchObject({ payment: null, payee: null });
    });

    it('puts the account the register approved, with its holder, on the open assignment (assignment.changed, no month differences)', async () => {
      const event = await h.registerAccount(applicant, { method: 'bank', iban: approved }, 2, 'Коваленко Олена Іванівна');
      const changed = await expectEventually(() => {
        const c = changesOf(assignmentId);
        expect(c).toHaveLength(1);
        return c[0]!;
      }, { timeoutMs: 20000 });
      expect(changed.payload).toMatchObject({
        reason: { code: 'ACCOUNT_CHANGED' },
        effectiveFrom: '2026-04',
        differences: [],
        assignment: { version: 2, payment: { method: 'bank', iban: approved }, payee: { fullName: 'Коваленко Олена Іванівна', rnokpp: '3296909324', documentNumber: null } },
      });
      expect(changed.payload.assignment.months).toEqual((await grantedOf(applicationId)).payload.assignment.months);
      expect(await h.accountVersion(applicant)).toBe(2);

      // A second delivery of the same event, then an older version of the account (same key, same partition): both change nothing.
      await produceRaw(h.topic(PersonPaymentAccountChangedV1), [{ key: applicant, value: JSON.stringify(event), headers: { 'event-id': event.eventId, 'event-type': event.eventType } }]);
      const stale = await h.registerAccount(applicant, { method: 'bank', iban: older }, 1);
      await inboxHas(stale.eventId);
      expect(await h.accountVersion(applicant)).toBe(2);
      expect(changesOf(assignmentId)).toHaveLength(1);
      const row = await h.sql.query(`SELECT version, payment FROM social_processing.assignment WHERE id = $1`, [assignmentId]);
      expect(row.rows[0]).toEqual({ version: 2, payment: { method: 'bank', iban: approved } });
      const versions = await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.assignment_version WHERE assignment_id = $1`, [assignmentId]);
      expect(versions.rows[0].n).toBe(2);
    });

    it('stops paying (no account) when the register removes the account', async () => {
      await h.registerAccount(applicant, null, 3);
      const removed = await expectEventually(() => {
        const c = changesOf(assignmentId);
        expect(c).toHaveLength(2);
        return c[1]!;
      }, { timeoutMs: 20000 });
      expect(removed.payload).toMatchObject({ reason: { code: 'ACCOUNT_REMOVED' }, differences: [], assignment: { version: 3, payment: null, payee: null } });
    });
  });

  describe('an applicant for whom the register holds an approved account', () => {
    let applicant: string;

    beforeAll(async () => {
      applicant = await h.idpPerson('1979-02-02');
      const e = await h.registerAccount(applicant, { method: 'bank', iban: approved }, 5, 'Коваленко Марія');
      await inboxHas(e.eventId);
    });

    it('grants with the register\'s account and holder when the application types another IBAN, and proposes that IBAN', async () => {
      const res = await h.submit(h.application(applicant, { payment: { method: 'bank', iban: typed } }));
      expect(res.status).toBe(201);
      expect(res.body.proposedPayment).toEqual({ method: 'bank', ibanMasked: `${typed.slice(0, 4)}…${typed.slice(-4)}` });
      expect(await h.outbox(ApplicationPaymentAccountProposedV1, res.body.id)).toHaveLength(1);
      await h.passVerification(res.body.id);
      await h.decideByTwo(res.body.id);
      const g = await grantedOf(res.body.id);
      expect(g.payload.assignment).toMatchObject({ payment: { method: 'bank', iban: approved }, payee: { fullName: 'Коваленко Марія', rnokpp: '3296909324', documentNumber: null } });
      expect(JSON.stringify(g.payload)).not.toContain(typed);
    });
  });

  it('proposes nothing when the application names the account the register already holds, or none', async () => {
    const applicant = await h.idpPerson('1990-05-17');
    const e = await h.registerAccount(applicant, { method: 'bank', iban: approved }, 1);
    await inboxHas(e.eventId);
    const same = await h.submit(h.application(applicant, { payment: { method: 'bank', iban: approved } }));
    expect(same.status).toBe(201);
    expect(await h.outbox(ApplicationPaymentAccountProposedV1, same.body.id)).toEqual([]);
    const other = await h.idpPerson('1991-06-18');
    const none = await h.submit(h.application(other));
    expect(none.status).toBe(201);
    expect(none.body.proposedPayment).toBeNull();
    expect(await h.outbox(ApplicationPaymentAccountProposedV1, none.body.id)).toEqual([]);
  });
});
