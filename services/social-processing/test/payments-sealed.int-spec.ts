import { ApplicationPaymentAccountProposedV2, AssignmentChangedV2, AssignmentGrantedV2, type PayloadOf } from '@eisss/contracts';
import { maskIban } from '@eisss/platform';
import { expectEventually, openedByRegister, openedByTreasury, payeeOpenedByTreasury } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';
import { PaymentsSealed1764700000000 } from '../src/migrations/1764700000000-payments-sealed';
import { HOLDER_RNOKPP, ProcessingHarness, ibanOf } from './processing-harness';

type Granted = PayloadOf<typeof AssignmentGrantedV2>;

/**
 * The migration that seals the accounts stored before events carried them sealed: rows written in the
 * plain form (an application's typed IBAN, the register's account and holder on the person projection,
 * assignments, their versions and the outbox) are rewritten sealed, and a database read shows no plain
 * IBAN or РНОКПП afterwards.
 */
describe('social-processing: sealing the payment accounts stored before (migration 1764700000000)', () => {
  let h: ProcessingHarness;
  const typed = ibanOf('0000026007233577001');
  const approved = ibanOf('0000026007233577002');
  const holder = { fullName: 'Бондар Ірина', rnokpp: HOLDER_RNOKPP, documentNumber: null };
  let applicant: string;
  let applicationId: string;
  let assignmentId: string;
  let granted: Granted;
  const publishedId = randomUUID();
  const pendingId = randomUUID();

  /** The migration runs on the test's connection (a QueryRunner needs only `query` here). */
  const runner = (): QueryRunner =>
    ({ query: async (text: string, params?: unknown[]) => (await h.sql.query(text, params)).rows }) as unknown as QueryRunner;
  const v1Topic = (topic: string) => topic.replace(/\.v2$/, '.v1');

  beforeAll(async () => {
    h = await ProcessingHarness.start([AssignmentGrantedV2, AssignmentChangedV2]);
    applicant = await h.idpPerson('1984-03-03', 'Бондар');
    const account = await h.registerAccount(applicant, { method: 'bank', iban: approved }, 1, holder.fullName);
    await expectEventually(async () => expect(await h.accountVersion(applicant)).toBe(1), { timeoutMs: 20000 });
    const res = await h.submit(h.application(applicant, { payment: { method: 'bank', iban: typed } }));
    expect(res.status).toBe(201);
    applicationId = res.body.id;
    await h.passVerification(applicationId);
    await h.decideByTwo(applicationId);
    granted = await expectEventually(
      () => {
        const [e] = h.published(AssignmentGrantedV2, (x) => x.payload.assignment.applicationId === applicationId);
        expect(e).toBeDefined();
        return e!.payload;
      },
      { timeoutMs: 20000 },
    );
    assignmentId = granted.assignment.assignmentId;
    expect(granted.assignment.payment).toEqual(account.payload.account);

    // The rows as processing wrote them before: plain IBAN and РНОКПП.
    const plainAccount = JSON.stringify({ method: 'bank', iban: approved });
    await h.sql.query(`UPDATE social_processing.application SET payment = $2 WHERE id = $1`, [
      applicationId,
      JSON.stringify({ method: 'bank', iban: typed }),
    ]);
    await h.sql.query(`UPDATE social_processing.person_payment_account SET account = $2, holder = $3 WHERE person_id = $1`, [
      applicant,
      plainAccount,
      JSON.stringify(holder),
    ]);
    await h.sql.query(`UPDATE social_processing.assignment SET payment = $2, payee = $3 WHERE id = $1`, [
      assignmentId,
      plainAccount,
      JSON.stringify(holder),
    ]);
    await h.sql.query(
      `UPDATE social_processing.assignment_version SET snapshot = snapshot || jsonb_build_object('payment', $2::jsonb, 'payee', $3::jsonb) WHERE assignment_id = $1`,
      [assignmentId, plainAccount, JSON.stringify(holder)],
    );
    const v1Payload = { ...granted, assignment: { ...granted.assignment, payment: { method: 'bank', iban: approved }, payee: holder } };
    const envelope = (eventId: string) => ({
      eventId,
      eventType: AssignmentGrantedV2.eventType,
      eventVersion: 1,
      occurredAt: new Date().toISOString(),
      producer: 'social-processing',
      aggregateType: 'assignment',
      aggregateId: assignmentId,
      correlationId: randomUUID(),
      causationId: null,
      payload: v1Payload,
    });
    await h.sql.query(
      `INSERT INTO social_processing.outbox (event_id, topic, message_key, envelope, published_at) VALUES ($1, $2, $3, $4, now())`,
      [publishedId, v1Topic(AssignmentGrantedV2.topic), assignmentId, JSON.stringify(envelope(publishedId))],
    );
    const proposalV1 = {
      applicationId,
      personId: applicant,
      account: { method: 'bank', iban: typed },
      proposedBy: 'officer-1',
      channel: 'office',
      katottg: 'UA80000000000093317',
      proposedAt: new Date().toISOString(),
    };
    const proposalId = randomUUID();
    await h.sql.query(
      `INSERT INTO social_processing.outbox (event_id, topic, message_key, envelope, published_at) VALUES ($1, $2, $3, $4, now())`,
      [
        proposalId,
        v1Topic(ApplicationPaymentAccountProposedV2.topic),
        applicationId,
        JSON.stringify({
          ...envelope(proposalId),
          eventType: ApplicationPaymentAccountProposedV2.eventType,
          aggregateType: 'application',
          aggregateId: applicationId,
          payload: proposalV1,
        }),
      ],
    );
    const before = await h.allRowsAsText();
    expect(before).toContain(approved);
    expect(before).toContain(typed);
    expect(before).toContain(HOLDER_RNOKPP);

    // An event of version 1 not yet published, written and converted in one transaction (the relay sees it only converted).
    await h.sql.query('BEGIN');
    try {
      await h.sql.query(`INSERT INTO social_processing.outbox (event_id, topic, message_key, envelope) VALUES ($1, $2, $3, $4)`, [
        pendingId,
        v1Topic(AssignmentGrantedV2.topic),
        assignmentId,
        JSON.stringify(envelope(pendingId)),
      ]);
      await new PaymentsSealed1764700000000().up(runner());
      await h.sql.query('COMMIT');
    } catch (e) {
      await h.sql.query('ROLLBACK');
      throw e;
    }
  });

  afterAll(async () => {
    await h?.close();
  });

  it("seals the application's typed IBAN for the register", async () => {
    const { payment } = (await h.sql.query(`SELECT payment FROM social_processing.application WHERE id = $1`, [applicationId])).rows[0];
    expect(payment).toEqual({ method: 'bank', ibanMasked: maskIban(typed), ibanSealed: expect.any(String) });
    expect(await openedByRegister(payment)).toEqual({ method: 'bank', iban: typed });
    const view = await h.getApplication(applicationId);
    expect(view.proposedPayment).toEqual({ method: 'bank', ibanMasked: maskIban(typed) });
  });

  it("seals the projection's account and holder, the assignment's and its versions' for the treasury, with references", async () => {
    const p = (await h.sql.query(`SELECT account, holder FROM social_processing.person_payment_account WHERE person_id = $1`, [applicant]))
      .rows[0];
    const a = (await h.sql.query(`SELECT payment, payee FROM social_processing.assignment WHERE id = $1`, [assignmentId])).rows[0];
    const v = (await h.sql.query(`SELECT snapshot FROM social_processing.assignment_version WHERE assignment_id = $1`, [assignmentId]))
      .rows;
    for (const [account, payee] of [[p.account, p.holder], [a.payment, a.payee], ...v.map((r) => [r.snapshot.payment, r.snapshot.payee])]) {
      expect(account).toEqual({
        method: 'bank',
        ibanMasked: maskIban(approved),
        accountRef: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        ibanSealed: expect.any(String),
      });
      expect(payee).toEqual({
        fullName: holder.fullName,
        rnokppMasked: `******${HOLDER_RNOKPP.slice(-4)}`,
        documentNumberMasked: null,
        identityRef: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        identitySealed: expect.any(String),
      });
      expect(await openedByTreasury(account)).toEqual({ method: 'bank', iban: approved });
      expect(await payeeOpenedByTreasury(payee)).toEqual(holder);
    }
    // One key for the whole run: the same account has the same reference everywhere.
    expect(new Set([p.account.accountRef, a.payment.accountRef, ...v.map((r) => r.snapshot.payment.accountRef)]).size).toBe(1);
    expect(new Set([p.holder.identityRef, a.payee.identityRef]).size).toBe(1);
    // …and not the register's (computed with the register's key).
    expect(a.payment.accountRef).not.toBe((granted.assignment.payment as { accountRef: string }).accountRef);
  });

  it('seals the outbox: a published event stays a record (version 1, values sealed), a pending one goes out as version 2', async () => {
    const rows = (
      await h.sql.query(`SELECT event_id, topic, envelope FROM social_processing.outbox WHERE event_id = ANY($1::uuid[])`, [
        [publishedId, pendingId],
      ])
    ).rows;
    const published = rows.find((r) => r.event_id === publishedId)!;
    expect(published.topic).toBe(v1Topic(AssignmentGrantedV2.topic));
    expect(published.envelope.eventVersion).toBe(1);
    expect(await openedByTreasury(published.envelope.payload.assignment.payment)).toEqual({ method: 'bank', iban: approved });
    const pending = rows.find((r) => r.event_id === pendingId)!;
    expect(pending.topic).toBe(AssignmentGrantedV2.topic);
    expect(pending.envelope.eventVersion).toBe(2);
    const sent = await expectEventually(
      () => {
        const [e] = h.published(AssignmentGrantedV2, (x) => x.eventId === pendingId);
        expect(e).toBeDefined();
        return e!;
      },
      { timeoutMs: 20000 },
    );
    expect(sent.eventVersion).toBe(2);
    expect(await openedByTreasury(sent.payload.assignment.payment!)).toEqual({ method: 'bank', iban: approved });
    expect(await payeeOpenedByTreasury(sent.payload.assignment.payee!)).toEqual(holder);
    expect(JSON.stringify(sent)).not.toContain(approved);
  });

  it('leaves no plain IBAN or РНОКПП in the database, and a second run changes nothing', async () => {
    const after = await h.allRowsAsText();
    expect(after).toContain(maskIban(approved)!);
    for (const plain of [typed, approved, HOLDER_RNOKPP]) expect(after).not.toContain(plain);
    const tables = async () =>
      (
        await h.sql.query(
          `SELECT (SELECT payment::text FROM social_processing.application WHERE id = $1) AS app, (SELECT payment::text || payee::text FROM social_processing.assignment WHERE id = $2) AS asg`,
          [applicationId, assignmentId],
        )
      ).rows[0];
    const once = await tables();
    await new PaymentsSealed1764700000000().up(runner());
    expect(await tables()).toEqual(once);
  });

  it("the next account event of the register gives one extra version (its references differ from the migration's), carrying the register's values", async () => {
    const e = await h.registerAccount(applicant, { method: 'bank', iban: approved }, 2, holder.fullName);
    const changed = await expectEventually(
      () => {
        const c = h.published(AssignmentChangedV2, (x) => x.payload.assignment.assignmentId === assignmentId);
        expect(c).toHaveLength(1);
        return c[0]!;
      },
      { timeoutMs: 20000 },
    );
    expect(changed.payload).toMatchObject({ reason: { code: 'ACCOUNT_CHANGED' }, differences: [] });
    expect(changed.payload.assignment.payment).toEqual(e.payload.account);
    expect(changed.payload.assignment.payee).toEqual(e.payload.holder);
    // The same account again from the register: nothing more.
    const again = await h.registerAccount(applicant, { method: 'bank', iban: approved }, 3, holder.fullName);
    await expectEventually(async () => expect(await h.accountVersion(applicant)).toBe(3), { timeoutMs: 20000 });
    expect(again.payload.account).not.toEqual(e.payload.account); // sealed anew…
    expect(await h.outbox(AssignmentChangedV2, assignmentId)).toHaveLength(1); // …same reference: no new version (written with the projection, in one transaction)
  });

  it('down leaves the values sealed (processing never holds them in the clear again)', async () => {
    const before = await h.allRowsAsText();
    await new PaymentsSealed1764700000000().down();
    expect(await h.allRowsAsText()).toBe(before);
  });
});
