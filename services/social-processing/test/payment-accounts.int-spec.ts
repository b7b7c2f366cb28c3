import {
  ApplicationPaymentAccountProposedV2,
  AssignmentChangedV2,
  AssignmentGrantedV2,
  PersonPaymentAccountChangedV2,
} from '@eisss/contracts';
import { maskIban, type SealedAccount, type SealedHolder } from '@eisss/platform';
import { expectEventually, openedByRegister, openedByTreasury, payeeOpenedByTreasury, produceRaw } from '@eisss/testing';
import { HOLDER_RNOKPP, ProcessingHarness, ibanOf, tokens } from './processing-harness';

/**
 * Assignments are paid only to the account the register approved for the recipient: an application's
 * account is a proposal sent to the register, and the register's PersonPaymentAccountChangedV2 puts
 * its approved account (and holder) on every open assignment of the person. Processing never holds a
 * plain IBAN or РНОКПП: the typed IBAN is sealed for the register at once, the register's account and
 * holder arrive sealed for the treasury and are carried on unchanged.
 */
describe('social-processing payment accounts', () => {
  let h: ProcessingHarness;
  const typed = ibanOf('0000026007233500001');
  const approved = ibanOf('0000026007233500002');
  const older = ibanOf('0000026007233500003');
  /** What the treasury reads out of an assignment's account and holder. */
  const treasuryReads = async (payment: SealedAccount | null, payee: SealedHolder | null) => ({
    payment: payment && (await openedByTreasury(payment)),
    payee: payee && (await payeeOpenedByTreasury(payee)),
  });

  const grantedOf = (applicationId: string) =>
    expectEventually(
      () => {
        const [e] = h.published(AssignmentGrantedV2, (x) => x.payload.assignment.applicationId === applicationId);
        expect(e).toBeDefined();
        return e!;
      },
      { timeoutMs: 15000 },
    );
  const changesOf = (assignmentId: string) => h.published(AssignmentChangedV2, (x) => x.payload.assignment.assignmentId === assignmentId);
  const inboxHas = (eventId: string) =>
    expectEventually(
      async () => {
        const r = await h.sql.query(
          `SELECT count(*)::int AS n FROM social_processing.inbox WHERE consumer_group = 'social-processing.payment-account' AND event_id = $1`,
          [eventId],
        );
        expect(r.rows[0].n).toBe(1);
      },
      { timeoutMs: 20000 },
    );

  beforeAll(async () => {
    h = await ProcessingHarness.start([AssignmentGrantedV2, AssignmentChangedV2]);
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
      const proposals = await h.outbox(ApplicationPaymentAccountProposedV2, applicationId);
      expect(proposals).toEqual([
        expect.objectContaining({
          applicationId,
          personId: applicant,
          account: { method: 'bank', ibanMasked: maskIban(typed), ibanSealed: expect.any(String) },
          proposedBy: 'officer-1',
          channel: 'office',
          katottg: 'UA80000000000093317',
        }),
      ]);
      // Sealed for the register: it opens the typed IBAN; the treasury cannot.
      expect(await openedByRegister(proposals[0]!.account)).toEqual({ method: 'bank', iban: typed });
      await expect(openedByTreasury({ ...proposals[0]!.account, accountRef: 'x' } as SealedAccount)).rejects.toThrow();
      const stored = await h.sql.query(`SELECT payment FROM social_processing.application WHERE id = $1`, [applicationId]);
      expect(stored.rows[0].payment).toEqual(proposals[0]!.account);
      expect(res.body.proposedPayment).toEqual({ method: 'bank', ibanMasked: maskIban(typed) });

      await h.passVerification(applicationId);
      await h.decideByTwo(applicationId);
      const g = await grantedOf(applicationId);
      assignmentId = g.payload.assignment.assignmentId;
      expect(g.payload.assignment).toMatchObject({ recipientPersonId: applicant, payment: null, payee: null });
      const row = await h.sql.query(`SELECT payment, payee FROM social_processing.assignment WHERE id = $1`, [assignmentId]);
      expect(row.rows[0]).toEqual({ payment: null, payee: null });
      const everywhere = await h.sql.query(
        `SELECT count(*)::int AS n FROM social_processing.assignment_version WHERE assignment_id = $1 AND snapshot::text LIKE '%' || $2 || '%'`,
        [assignmentId, typed],
      );
      expect(everywhere.rows[0].n).toBe(0);
      const view = await h.http().get(`/assignments/${assignmentId}`).set('authorization', `Bearer ${tokens.officer}`);
      expect(view.body).toMatchObject({ payment: null, payee: null });
    });

    it('puts the account the register approved, with its holder, on the open assignment (assignment.changed, no month differences)', async () => {
      const event = await h.registerAccount(applicant, { method: 'bank', iban: approved }, 2, 'Коваленко Олена Іванівна');
      const changed = await expectEventually(
        () => {
          const c = changesOf(assignmentId);
          expect(c).toHaveLength(1);
          return c[0]!;
        },
        { timeoutMs: 20000 },
      );
      expect(changed.payload).toMatchObject({
        reason: { code: 'ACCOUNT_CHANGED' },
        effectiveFrom: '2026-04',
        differences: [],
        assignment: { version: 2 },
      });
      // The register's sealed values, forwarded unchanged; the treasury opens them.
      expect(changed.payload.assignment.payment).toEqual(event.payload.account);
      expect(changed.payload.assignment.payee).toEqual(event.payload.holder);
      expect(await treasuryReads(changed.payload.assignment.payment, changed.payload.assignment.payee)).toEqual({
        payment: { method: 'bank', iban: approved },
        payee: { fullName: 'Коваленко Олена Іванівна', rnokpp: HOLDER_RNOKPP, documentNumber: null },
      });
      expect(JSON.stringify(changed.payload)).not.toContain(approved);
      expect(JSON.stringify(changed.payload)).not.toContain(HOLDER_RNOKPP);
      const view = await h.http().get(`/assignments/${assignmentId}`).set('authorization', `Bearer ${tokens.officer}`);
      expect(view.body).toMatchObject({
        payment: { method: 'bank', ibanMasked: maskIban(approved) },
        payee: { fullName: 'Коваленко Олена Іванівна', rnokppMasked: `******${HOLDER_RNOKPP.slice(-4)}`, documentNumberMasked: null },
      });
      expect(view.body.payment).toEqual({ method: 'bank', ibanMasked: maskIban(approved) });
      expect(changed.payload.assignment.months).toEqual((await grantedOf(applicationId)).payload.assignment.months);
      expect(await h.accountVersion(applicant)).toBe(2);

      // A second delivery of the same event, then an older version of the account (same key, same partition): both change nothing.
      await produceRaw(h.topic(PersonPaymentAccountChangedV2), [
        { key: applicant, value: JSON.stringify(event), headers: { 'event-id': event.eventId, 'event-type': event.eventType } },
      ]);
      const stale = await h.registerAccount(applicant, { method: 'bank', iban: older }, 1);
      await inboxHas(stale.eventId);
      expect(await h.accountVersion(applicant)).toBe(2);
      expect(changesOf(assignmentId)).toHaveLength(1);
      const row = await h.sql.query(`SELECT version, payment FROM social_processing.assignment WHERE id = $1`, [assignmentId]);
      expect(row.rows[0]).toEqual({ version: 2, payment: event.payload.account });
      const versions = await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.assignment_version WHERE assignment_id = $1`, [
        assignmentId,
      ]);
      expect(versions.rows[0].n).toBe(2);
    });

    it('stops paying (no account) when the register removes the account', async () => {
      await h.registerAccount(applicant, null, 3);
      const removed = await expectEventually(
        () => {
          const c = changesOf(assignmentId);
          expect(c).toHaveLength(2);
          return c[1]!;
        },
        { timeoutMs: 20000 },
      );
      expect(removed.payload).toMatchObject({
        reason: { code: 'ACCOUNT_REMOVED' },
        differences: [],
        assignment: { version: 3, payment: null, payee: null },
      });
    });
  });

  describe('an applicant for whom the register holds an approved account', () => {
    let applicant: string;
    let registered: Awaited<ReturnType<ProcessingHarness['registerAccount']>>;

    beforeAll(async () => {
      applicant = await h.idpPerson('1979-02-02');
      registered = await h.registerAccount(applicant, { method: 'bank', iban: approved }, 5, 'Коваленко Марія');
      await inboxHas(registered.eventId);
    });

    it("grants with the register's account and holder when the application types another IBAN, and proposes that IBAN", async () => {
      const res = await h.submit(h.application(applicant, { payment: { method: 'bank', iban: typed } }));
      expect(res.status).toBe(201);
      expect(res.body.proposedPayment).toEqual({ method: 'bank', ibanMasked: maskIban(typed) });
      const [proposal] = await h.outbox(ApplicationPaymentAccountProposedV2, res.body.id);
      expect(await openedByRegister(proposal!.account)).toEqual({ method: 'bank', iban: typed });
      await h.passVerification(res.body.id);
      await h.decideByTwo(res.body.id);
      const g = await grantedOf(res.body.id);
      expect(g.payload.assignment).toMatchObject({ payment: registered.payload.account, payee: registered.payload.holder });
      expect(await openedByTreasury(g.payload.assignment.payment!)).toEqual({ method: 'bank', iban: approved });
      expect(await payeeOpenedByTreasury(g.payload.assignment.payee!)).toEqual({
        fullName: 'Коваленко Марія',
        rnokpp: HOLDER_RNOKPP,
        documentNumber: null,
      });
      expect(JSON.stringify(g.payload)).not.toContain(typed);
      expect(JSON.stringify(g.payload)).not.toContain(approved);
    });
  });

  it('proposes the account even when the register already holds it (processing cannot compare; the register answers nothing to do), and nothing without one', async () => {
    const applicant = await h.idpPerson('1990-05-17');
    const e = await h.registerAccount(applicant, { method: 'bank', iban: approved }, 1);
    await inboxHas(e.eventId);
    const same = await h.submit(h.application(applicant, { payment: { method: 'bank', iban: approved } }));
    expect(same.status).toBe(201);
    const proposals = await h.outbox(ApplicationPaymentAccountProposedV2, same.body.id);
    expect(proposals).toHaveLength(1);
    expect(await openedByRegister(proposals[0]!.account)).toEqual({ method: 'bank', iban: approved });
    const other = await h.idpPerson('1991-06-18');
    const none = await h.submit(h.application(other));
    expect(none.status).toBe(201);
    expect(none.body.proposedPayment).toBeNull();
    expect(await h.outbox(ApplicationPaymentAccountProposedV2, none.body.id)).toEqual([]);
  });

  it('a retry of an application with an IBAN returns the same application (the fingerprint is of the request, not of the randomised sealing)', async () => {
    const applicant = await h.idpPerson('1992-07-19');
    const body = h.application(applicant, { payment: { method: 'bank', iban: typed } });
    const first = await h.submit(body);
    expect(first.status).toBe(201);
    const retry = await h.submit(body);
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    expect(await h.outbox(ApplicationPaymentAccountProposedV2, first.body.id)).toHaveLength(1);
    const other = await h.submit({ ...body, payment: { method: 'bank', iban: older } });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('holds no plain IBAN or РНОКПП anywhere in its database (applications, assignments and versions, person projection, outbox)', async () => {
    const text = await h.allRowsAsText();
    // The rows the tests above wrote are there (the check reads something)…
    expect(text).toContain('application: ');
    expect(text).toContain('person_payment_account: ');
    expect(text).toContain(maskIban(approved)!);
    // …but none of the values in the clear.
    for (const iban of [typed, approved, older]) expect(text).not.toContain(iban);
    expect(text).not.toContain(HOLDER_RNOKPP);
  });
});
