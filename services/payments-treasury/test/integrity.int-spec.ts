import { join } from 'node:path';
import {
  AssignmentChangedV2,
  AssignmentGrantedV2,
  FundsReservedV1,
  PaymentReturnedV1,
  PayrollSubmittedV1,
  Role,
  type PayloadOf,
} from '@eisss/contracts';
import { KafkaProbe, SHARED_DIR, ServiceApp, TestEnvironment, expectEventually, tokenFor } from '@eisss/testing';
import { maskIban } from '@eisss/platform';
import { XMLParser } from 'fast-xml-parser';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { validateXML } from 'xmllint-wasm';
import { PaymentService } from '../src/bank/payment.service';
import { definition } from '../src/service.definition';
import { camt053 } from './support/camt';
import { assignmentEnvelope, envelopeOf, ibanAt, publish, snapshot, type AssignmentPayload } from './support/events';

const PAIN001_XSD = join(SHARED_DIR, 'standards', 'iso20022', 'pain.001.001.09.xsd');
const TREASURY_IBAN = 'UA938999980000035221139001014';
const PROGRAMME = 'idp-living-allowance';
const KYIV = 'UA80000000000093317';
const LVIV = 'UA46000000000026241';

/**
 * Money integrity against a hostile insider: the treasury pays only the register's account on the
 * assignment copy, acts that move money twice need a second treasurer, every read and act is held to
 * the user's territory and audited, statements and payroll input are validated. Each attack is
 * refused with a stable code, writes nothing and leaves an audit row.
 */
describe(PaymentService.name, () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let probe: KafkaProbe;
  let sql: Client;
  const bearer = (id: string, territory: string) => `Bearer ${tokenFor({ roles: [Role.Treasurer], territory, id })}`;
  const alice = bearer('alice', 'UA'); // national treasurer
  const bob = bearer('bob', 'UA'); // the second national treasurer
  const lviv = bearer('lviv-treasurer', 'UA46'); // regional treasurer of Lviv oblast
  const http = () => app.http();

  const mfo = '322313';
  const ids = { kyivBank: randomUUID(), kyivPost: randomUUID(), lvivBank: randomUUID(), noAccount: randomUUID() };
  const people = { kyivBank: randomUUID(), kyivPost: randomUUID(), lvivBank: randomUUID(), noAccount: randomUUID() };
  const ibanKyiv = ibanAt(mfo, '26007233566001');
  const ibanLviv = ibanAt(mfo, '26007233566002');
  const ibanArrived = ibanAt(mfo, '26007233566003');
  const grant = (
    id: string,
    person: string,
    katottg: string,
    payment: AssignmentPayload['assignment']['payment'],
    payee: AssignmentPayload['assignment']['payee'] = { fullName: 'Отримувач Тестовий', rnokpp: '3296909324', documentNumber: null },
  ): AssignmentPayload => ({
    assignment: snapshot({ assignmentId: id, recipientPersonId: person, katottg, payment, payee }),
    reason: null,
    effectiveFrom: '2026-11',
    differences: [],
  });
  const grants = {
    kyivBank: grant(ids.kyivBank, people.kyivBank, KYIV, { method: 'bank', iban: ibanKyiv }),
    kyivPost: grant(ids.kyivPost, people.kyivPost, KYIV, { method: 'post', postcode: '01001' }),
    lvivBank: grant(
      ids.lvivBank,
      people.lvivBank,
      LVIV,
      { method: 'bank', iban: ibanLviv },
      { fullName: 'Без Податкового Номера', rnokpp: null, documentNumber: 'КС654321' },
    ),
    noAccount: grant(ids.noAccount, people.noAccount, KYIV, null, null),
  };
  let payrollId: string;

  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    (
      await sql.query(
        `SELECT count(*)::int AS n FROM ${table === 'audit_log' ? 'payments_treasury_audit' : 'payments_treasury'}.${table} WHERE ${where}`,
        params,
      )
    ).rows[0].n as number;
  const refusals = (actor: string, code: string) =>
    count('audit_log', `actor_id = $1 AND action LIKE 'refused:%' AND purpose LIKE $2 || ':%'`, [actor, code]);
  const paymentOf = async (assignmentId: string, status?: string) =>
    (
      await sql.query(
        `SELECT * FROM (SELECT p.id, p.end_to_end_id, p.amount_kopiyky::text AS amount, CASE WHEN p.status = 'pending' AND b.sent_at IS NOT NULL THEN 'sent' ELSE p.status END AS status,
                p.iban_masked, p.payee_full_name, p.updated_at
         FROM payments_treasury.payment p LEFT JOIN payments_treasury.payment_batch b ON b.id = p.batch_id WHERE p.assignment_id = $1) x
         ${status ? 'WHERE status = $2' : ''} ORDER BY updated_at DESC`,
        status ? [assignmentId, status] : [assignmentId],
      )
    ).rows[0] as
      | { id: string; end_to_end_id: string; amount: string; status: string; iban_masked: string | null; payee_full_name: string | null }
      | undefined;
  async function download(batchId: string, token: string) {
    return http()
      .get(`/batches/${batchId}/file`)
      .set('authorization', token)
      .buffer(true)
      .parse((r, cb) => {
        let d = '';
        r.setEncoding('utf8');
        r.on('data', (c: string) => (d += c));
        r.on('end', () => cb(null, d));
      });
  }
  async function validPain001(xml: string) {
    const v = await validateXML({
      xml: [{ fileName: 'pain.xml', contents: xml }],
      schema: [{ fileName: 'pain.001.001.09.xsd', contents: readFileSync(PAIN001_XSD, 'utf8') }],
    });
    expect(v.errors.map((e) => e.message)).toEqual([]);
  }

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start([PayrollSubmittedV1, PaymentReturnedV1].map((c) => env.topicPrefix + c.topic));
    app = await ServiceApp.start(definition, env.env('payments-treasury', { TREASURY_DEBTOR_IBAN: TREASURY_IBAN }));
    sql = await env.sql('payments-treasury');
    for (const g of Object.values(grants))
      await publish(env.topicPrefix, AssignmentGrantedV2, await assignmentEnvelope(AssignmentGrantedV2, g));
    await expectEventually(async () => expect(await count('assignment')).toBe(4));
  });

  afterAll(async () => {
    await sql?.end();
    await app?.close();
    await probe?.stop();
    await env?.destroy();
  });

  it('refuses a blank or unknown programme and a regional payroll run, writing nothing', async () => {
    const blank = await http().post('/payrolls').set('authorization', alice).send({ programmeCode: '   ', month: '2026-11' });
    expect(blank.status).toBe(400);
    expect(blank.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'programmeCode' });
    const unknown = await http()
      .post('/payrolls')
      .set('authorization', alice)
      .send({ programmeCode: 'no-such-programme', month: '2026-11' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'PAYROLL_PROGRAMME_UNKNOWN', field: 'programmeCode' });
    const regional = await http().post('/payrolls').set('authorization', lviv).send({ programmeCode: PROGRAMME, month: '2026-11' });
    expect(regional.status).toBe(403);
    expect(regional.body.error.code).toBe('NATIONAL_SCOPE_REQUIRED');
    expect(await count('payroll')).toBe(0);
    expect(await count('payroll_line')).toBe(0);
    expect(await refusals('alice', 'PAYROLL_PROGRAMME_UNKNOWN')).toBe(1);
    expect(await refusals('lviv-treasurer', 'NATIONAL_SCOPE_REQUIRED')).toBe(1);
  });

  it('accrues an assignment without an account but pays nothing to it until the register sends one', async () => {
    const run = await http().post('/payrolls').set('authorization', alice).send({ programmeCode: PROGRAMME, month: '2026-11' });
    expect(run.status).toBe(201);
    payrollId = run.body.id;
    expect(run.body).toMatchObject({ lineCount: 4, totalKopiyky: '800000' });
    const s = await expectEventually(() => {
      const e = probe
        .envelopes<PayloadOf<typeof PayrollSubmittedV1>>(env.topicPrefix + PayrollSubmittedV1.topic)
        .find((x) => x.payload.payrollId === payrollId);
      expect(e).toBeDefined();
      return e!.payload;
    });
    const reserved = {
      reservationId: randomUUID(),
      payrollId,
      submissionId: s.submissionId,
      programmeCode: PROGRAMME,
      month: '2026-11',
      amountKopiyky: s.totalKopiyky,
      appropriationKopiyky: '100000000',
      availableAfterKopiyky: '1',
    };
    await publish(env.topicPrefix, FundsReservedV1, envelopeOf(FundsReservedV1, reserved, payrollId));
    const p = await expectEventually(async () => {
      const r = await http().get(`/payrolls/${payrollId}`).set('authorization', alice);
      expect(r.body.status).toBe('approved');
      return r.body;
    });
    expect(p.awaitingAccountCount).toBe(1);
    expect(await paymentOf(ids.noAccount)).toBeUndefined();
    expect(await count('payment', 'payroll_id = $1', [payrollId])).toBe(3);
  });

  it("holds a regional treasurer to their oblast: no national acts, no other oblast's people, no bank files", async () => {
    const before = await count('audit_log', `actor_id = 'lviv-treasurer' AND action LIKE 'refused:%'`);
    for (const [method, path, code] of [
      ['post', `/payrolls/${payrollId}/batches`, 'NATIONAL_SCOPE_REQUIRED'],
      ['post', `/payrolls/${payrollId}/resubmit`, 'NATIONAL_SCOPE_REQUIRED'],
      ['get', '/ledger/check', 'NATIONAL_SCOPE_REQUIRED'],
    ] as const) {
      const r = await http()[method](path).set('authorization', lviv);
      expect([r.status, r.body.error.code]).toEqual([403, code]);
    }
    const stmt = await http()
      .post('/statements')
      .set('authorization', lviv)
      .send({ xml: camt053({ messageId: 'L-1', statementId: 'S', iban: TREASURY_IBAN, date: '2026-12-04', entries: [] }) });
    expect([stmt.status, stmt.body.error.code]).toEqual([403, 'NATIONAL_SCOPE_REQUIRED']);
    expect(await count('payment_batch', 'sent_at IS NOT NULL')).toBe(0);
    expect(await count('statement')).toBe(0);

    const lines = await http().get(`/payrolls/${payrollId}/lines`).set('authorization', lviv);
    expect(lines.body.items.map((l: { assignmentId: string }) => l.assignmentId)).toEqual([ids.lvivBank]);
    const payments = await http().get('/payments').set('authorization', lviv);
    expect(payments.body.items.map((x: { assignmentId: string }) => x.assignmentId)).toEqual([ids.lvivBank]);
    const kyivPayment = (await paymentOf(ids.kyivBank))!;
    expect((await http().get(`/payments/${kyivPayment.id}`).set('authorization', lviv)).status).toBe(404);
    const otherLedger = await http()
      .get('/ledger/balances')
      .query({ recipientPersonId: people.kyivBank, programmeCode: PROGRAMME })
      .set('authorization', lviv);
    expect([otherLedger.status, otherLedger.body.error.code]).toEqual([404, 'LEDGER_NOT_FOUND']);
    const ownLedger = await http()
      .get('/ledger/balances')
      .query({ recipientPersonId: people.lvivBank, programmeCode: PROGRAMME })
      .set('authorization', lviv);
    expect(ownLedger.status).toBe(200);
    const reads = await sql.query(
      `SELECT subject_id FROM payments_treasury_audit.audit_log WHERE actor_id = 'lviv-treasurer' AND action = 'read' AND subject_type = 'person'`,
    );
    expect(new Set(reads.rows.map((r) => r.subject_id))).toEqual(new Set([people.lvivBank]));
    expect(await count('audit_log', `actor_id = 'lviv-treasurer' AND action LIKE 'refused:%'`)).toBe(before + 6);
  });

  let batches: { id: string; channel: string; paymentCount: number }[];

  it('exports bank files that validate against pain.001.001.09, downloadable and audited for national users only', async () => {
    const res = await http().post(`/payrolls/${payrollId}/batches`).set('authorization', alice);
    expect(res.status).toBe(200);
    batches = res.body;
    const bank = batches.find((b) => b.channel === 'bank')!;
    expect(bank.paymentCount).toBe(2);
    const denied = await download(bank.id, lviv);
    expect(denied.status).toBe(403);
    expect(await refusals('lviv-treasurer', 'NATIONAL_SCOPE_REQUIRED')).toBeGreaterThanOrEqual(2);
    const file = await download(bank.id, alice);
    expect(file.status).toBe(200);
    await validPain001(file.body as string);
    const txs = new XMLParser({ parseTagValue: false, removeNSPrefix: true, isArray: (n) => n === 'CdtTrfTxInf' }).parse(
      file.body as string,
    ).Document.CstmrCdtTrfInitn.PmtInf.CdtTrfTxInf;
    expect(txs.map((t: { Cdtr: unknown }) => t.Cdtr)).toEqual(
      expect.arrayContaining([
        { Nm: 'Отримувач Тестовий', Id: { PrvtId: { Othr: { Id: '3296909324', SchmeNm: { Cd: 'TXID' } } } } },
        { Nm: 'Без Податкового Номера', Id: { PrvtId: { Othr: { Id: 'КС654321', SchmeNm: { Cd: 'NIDN' } } } } },
      ]),
    );
    const audit = await sql.query(
      `SELECT subject_id FROM payments_treasury_audit.audit_log WHERE actor_id = 'alice' AND action = 'read' AND subject_type = 'person' AND purpose LIKE 'bank file %'`,
    );
    expect(new Set(audit.rows.map((r) => r.subject_id))).toEqual(new Set([people.kyivBank, people.lvivBank]));
    expect(await count('audit_log', `actor_id = 'alice' AND action = 'download' AND subject_id = $1`, [bank.id])).toBe(1);
  });

  it('refuses a statement without the account IBAN and malformed amounts with stable codes, importing nothing', async () => {
    const k = (await paymentOf(ids.kyivBank))!;
    const ok = camt053({
      messageId: 'BAD-1',
      statementId: 'S-BAD',
      iban: TREASURY_IBAN,
      date: '2026-12-04',
      entries: [{ endToEndId: k.end_to_end_id, amountKopiyky: k.amount, kind: 'settled', bookingDate: '2026-12-04' }],
    });
    const noIban = await http()
      .post('/statements')
      .set('authorization', alice)
      .send({ xml: ok.replace(`<IBAN>${TREASURY_IBAN}</IBAN>`, '<Othr><Id>26007233566001</Id></Othr>') });
    expect([noIban.status, noIban.body.error.code]).toEqual([422, 'STATEMENT_ACCOUNT_MISSING']);
    const other = await http()
      .post('/statements')
      .set('authorization', alice)
      .send({ xml: ok.replace(`<IBAN>${TREASURY_IBAN}</IBAN>`, `<IBAN>${ibanKyiv}</IBAN>`) });
    expect([other.status, other.body.error.code]).toEqual([422, 'STATEMENT_WRONG_ACCOUNT']);
    for (const amount of ['abc', '-2000.00', '2000.001']) {
      const bad = await http()
        .post('/statements')
        .set('authorization', alice)
        .send({ xml: ok.split('>2000.00<').join(`>${amount}<`) });
      expect([amount, bad.status, bad.body.error.code]).toEqual([amount, 400, 'STATEMENT_MALFORMED']);
    }
    const schema = await http()
      .post('/statements')
      .set('authorization', alice)
      .send({ xml: ok.replace('<Acct>', '<Acct><Bogus/>') });
    expect([schema.status, schema.body.error.code]).toEqual([400, 'STATEMENT_SCHEMA_INVALID']);
    expect(await count('statement')).toBe(0);
    expect((await paymentOf(ids.kyivBank))!.status).toBe('sent');
  });

  it('keeps the return of an already settled payment for a second person, and a rejected one changes nothing', async () => {
    const k = (await paymentOf(ids.kyivBank))!;
    const l = (await paymentOf(ids.lvivBank))!;
    const first = camt053({
      messageId: 'STMT-1',
      statementId: 'S-1',
      iban: TREASURY_IBAN,
      date: '2026-12-04',
      entries: [
        { endToEndId: k.end_to_end_id, amountKopiyky: k.amount, kind: 'returned', returnReason: 'AC04', bookingDate: '2026-12-04' },
        { endToEndId: l.end_to_end_id, amountKopiyky: l.amount, kind: 'settled', bookingDate: '2026-12-04' },
      ],
    });
    expect((await http().post('/statements').set('authorization', alice).send({ xml: first }).expect(200)).body).toMatchObject({
      returnedCount: 1,
      settledCount: 1,
    });
    const second = camt053({
      messageId: 'STMT-2',
      statementId: 'S-2',
      iban: TREASURY_IBAN,
      date: '2026-12-05',
      entries: [
        { endToEndId: l.end_to_end_id, amountKopiyky: l.amount, kind: 'returned', returnReason: 'MD06', bookingDate: '2026-12-05' },
      ],
    });
    const res = await http().post('/statements').set('authorization', alice).send({ xml: second });
    expect(res.body).toMatchObject({ returnedCount: 0, pendingApprovalCount: 1 });
    const entry = (
      await sql.query(
        `SELECT e.outcome, e.note FROM payments_treasury.statement_entry e JOIN payments_treasury.statement s ON s.id = e.statement_id WHERE e.payment_id = $1 AND s.message_id = 'STMT-2'`,
        [l.id],
      )
    ).rows[0];
    expect(entry.outcome).toBe('return-pending-approval');
    const approvalId = /approval ([0-9a-f-]{36})/.exec(entry.note)![1]!;
    const self = await http().post(`/approvals/${approvalId}/approve`).set('authorization', alice).send({});
    expect([self.status, self.body.error.code]).toEqual([403, 'SECOND_PERSON_REQUIRED']);
    expect(await refusals('alice', 'SECOND_PERSON_REQUIRED')).toBe(1);
    const rejected = await http()
      .post(`/approvals/${approvalId}/reject`)
      .set('authorization', bob)
      .send({ note: 'the bank confirmed the credit; the return message is an error' });
    expect(rejected.body).toMatchObject({ status: 'rejected', decidedBy: 'bob' });
    expect((await paymentOf(ids.lvivBank))!.status).toBe('settled');
    expect(await count('ledger_leg', `kind = 'return' AND ref_id = $1`, [l.id])).toBe(0);
    expect(
      probe.envelopes<PayloadOf<typeof PaymentReturnedV1>>(env.topicPrefix + PaymentReturnedV1.topic).map((e) => e.payload.paymentId),
    ).not.toContain(l.id);
    // The ordinary return of a sent payment was booked at once.
    await expectEventually(() =>
      expect(
        probe.envelopes<PayloadOf<typeof PaymentReturnedV1>>(env.topicPrefix + PaymentReturnedV1.topic).map((e) => e.payload.paymentId),
      ).toContain(k.id),
    );
  });

  it('re-issues only to the account on the assignment, and only when a second treasurer approves', async () => {
    const k = (await paymentOf(ids.kyivBank, 'returned'))!;
    const typed = await http()
      .post(`/payments/${k.id}/reissue`)
      .set('authorization', alice)
      .send({ reason: 'new account', method: 'bank', iban: ibanAt('305299', '26001000099999') });
    expect(typed.status).toBe(400);
    expect(typed.body.error.code).toBe('VALIDATION_FAILED');
    expect(['iban', 'method']).toContain(typed.body.error.field);
    const noReason = await http().post(`/payments/${k.id}/reissue`).set('authorization', alice).send({});
    expect([noReason.status, noReason.body.error.field]).toEqual([400, 'reason']);
    const regional = await http().post(`/payments/${k.id}/reissue`).set('authorization', lviv).send({ reason: 'x' });
    expect([regional.status, regional.body.error.code]).toEqual([404, 'PAYMENT_NOT_FOUND']);
    expect(await count('dual_control_request', `action = 'payment.reissue'`)).toBe(0);

    const req = await http()
      .post(`/payments/${k.id}/reissue`)
      .set('authorization', alice)
      .send({ reason: 'the bank returned it (AC04); the register account is confirmed', evidenceRef: 'лист банку № 12' });
    expect(req.status).toBe(202);
    expect(req.body).toMatchObject({
      action: 'payment.reissue',
      subjectType: 'payment',
      subjectId: k.id,
      status: 'pending',
      requestedBy: 'alice',
      katottg: KYIV,
      evidenceRef: 'лист банку № 12',
    });
    const twice = await http().post(`/payments/${k.id}/reissue`).set('authorization', alice).send({ reason: 'again' });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'DUAL_CONTROL_ALREADY_PENDING']);
    const self = await http().post(`/approvals/${req.body.id}/approve`).set('authorization', alice).send({});
    expect([self.status, self.body.error.code]).toEqual([403, 'SECOND_PERSON_REQUIRED']);
    const outside = await http().post(`/approvals/${req.body.id}/approve`).set('authorization', lviv).send({});
    expect(outside.status).toBe(404);
    expect(await count('payment', 'assignment_id = $1', [ids.kyivBank])).toBe(1);
    expect((await paymentOf(ids.kyivBank))!.status).toBe('returned');

    const approved = await http().post(`/approvals/${req.body.id}/approve`).set('authorization', bob).send({ note: 'checked' });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'executed', decidedBy: 'bob', result: { reissueOf: k.id } });
    const fresh = (await paymentOf(ids.kyivBank, 'pending'))!;
    expect(fresh).toMatchObject({
      id: approved.body.result.paymentId,
      iban_masked: maskIban(ibanKyiv),
      amount: k.amount,
      payee_full_name: 'Отримувач Тестовий',
    });
    expect(
      await count('audit_log', `action IN ('requested:payment.reissue', 'approved:payment.reissue') AND subject_id = $1`, [k.id]),
    ).toBe(2);
  });

  it('marks a post payment undeliverable only with a second treasurer, and refuses a re-issue once the register withdrew the account', async () => {
    const c = (await paymentOf(ids.kyivPost))!;
    expect(c.status).toBe('sent');
    const noReason = await http()
      .post(`/payments/${c.id}/post-delivery`)
      .set('authorization', alice)
      .send({ outcome: 'undeliverable', on: '2026-12-06' });
    expect([noReason.status, noReason.body.error.field]).toEqual([400, 'reason']);
    const req = await http()
      .post(`/payments/${c.id}/post-delivery`)
      .set('authorization', alice)
      .send({ outcome: 'undeliverable', on: '2026-12-06', reason: 'addressee unknown', evidenceRef: 'повідомлення Укрпошти № 5' });
    expect(req.status).toBe(202);
    expect(req.body).toMatchObject({ action: 'payment.post-undeliverable', status: 'pending' });
    expect((await paymentOf(ids.kyivPost))!.status).toBe('sent');
    expect((await http().post(`/approvals/${req.body.id}/approve`).set('authorization', alice).send({})).status).toBe(403);
    expect((await http().post(`/approvals/${req.body.id}/approve`).set('authorization', bob).send({})).body).toMatchObject({
      status: 'executed',
      result: { status: 'returned', returnedOn: '2026-12-06' },
    });
    expect((await paymentOf(ids.kyivPost))!.status).toBe('returned');

    const withdrawn: AssignmentPayload = {
      ...grants.kyivPost,
      assignment: { ...grants.kyivPost.assignment, version: 2, payment: null, payee: null },
      reason: { code: 'ACCOUNT_WITHDRAWN', text: 'no approved account' },
    };
    await publish(env.topicPrefix, AssignmentChangedV2, await assignmentEnvelope(AssignmentChangedV2, withdrawn));
    await expectEventually(async () =>
      expect(
        (await sql.query(`SELECT version, payment_method FROM payments_treasury.assignment WHERE assignment_id = $1`, [ids.kyivPost]))
          .rows[0],
      ).toEqual({ version: 2, payment_method: null }),
    );
    const none = await http().post(`/payments/${c.id}/reissue`).set('authorization', alice).send({ reason: 'send again' });
    expect([none.status, none.body.error.code]).toEqual([422, 'PAYMENT_ACCOUNT_MISSING']);
    expect(await count('dual_control_request', `subject_id = $1 AND action = 'payment.reissue'`, [c.id])).toBe(0);
    expect(await refusals('alice', 'PAYMENT_ACCOUNT_MISSING')).toBe(1);
  });

  it('pays the months accrued without an account once the register sends one, with the next export', async () => {
    const arrived: AssignmentPayload = {
      ...grants.noAccount,
      assignment: {
        ...grants.noAccount.assignment,
        version: 2,
        payment: { method: 'bank', iban: ibanArrived },
        payee: { fullName: 'Нова Отримувачка', rnokpp: '3296909324', documentNumber: null },
      },
      reason: { code: 'ACCOUNT_APPROVED', text: 'the register approved an account' },
    };
    await publish(env.topicPrefix, AssignmentChangedV2, await assignmentEnvelope(AssignmentChangedV2, arrived));
    const p = await expectEventually(async () => {
      const x = await paymentOf(ids.noAccount);
      expect(x).toMatchObject({ status: 'pending', iban_masked: maskIban(ibanArrived), amount: '200000' });
      return x!;
    });
    expect((await http().get(`/payrolls/${payrollId}`).set('authorization', alice)).body.awaitingAccountCount).toBe(0);
    const res = await http().post(`/payrolls/${payrollId}/batches`).set('authorization', alice);
    // The re-issue of the Kyiv bank payment and the newly payable line go out together.
    expect(res.body.map((b: { channel: string; paymentCount: number }) => [b.channel, b.paymentCount])).toEqual([['bank', 2]]);
    const file = await download(res.body[0].id, alice);
    await validPain001(file.body as string);
    expect(file.body).toContain(p.end_to_end_id);
    expect(file.body).toContain('<Nm>Нова Отримувачка</Nm>');
  });

  it('books a voluntary return or consent only with a document and a second treasurer of the territory', async () => {
    const adj = randomUUID();
    await sql.query(
      `INSERT INTO payments_treasury.adjustment (id, assignment_id, recipient_person_id, programme_code, month, kind, amount_kopiyky, explanation, source_event_id)
       VALUES ($1, $2, $3, $4, '2026-11', 'overpayment', 100000, 'test overpayment', $5)`,
      [adj, ids.kyivBank, people.kyivBank, PROGRAMME, randomUUID()],
    );
    const noEvidence = await http()
      .post(`/adjustments/${adj}/voluntary-return`)
      .set('authorization', alice)
      .send({ amountKopiyky: '50000', reason: 'returned' });
    expect([noEvidence.status, noEvidence.body.error.code, noEvidence.body.error.field]).toEqual([400, 'VALIDATION_FAILED', 'evidenceRef']);
    const noBody = await http().post(`/adjustments/${adj}/voluntary-consent`).set('authorization', alice).send({});
    expect([noBody.status, noBody.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const regional = await http()
      .post(`/adjustments/${adj}/voluntary-return`)
      .set('authorization', lviv)
      .send({ amountKopiyky: '50000', reason: 'returned', evidenceRef: 'x' });
    expect([regional.status, regional.body.error.code]).toEqual([404, 'ADJUSTMENT_NOT_FOUND']);
    expect((await http().get('/adjustments').set('authorization', lviv)).body).toMatchObject({ items: [], total: 0 });

    const req = await http()
      .post(`/adjustments/${adj}/voluntary-return`)
      .set('authorization', alice)
      .send({ amountKopiyky: '50000', reason: 'the recipient paid back', evidenceRef: 'платіжне доручення № 9' });
    expect(req.status).toBe(202);
    expect((await http().post(`/approvals/${req.body.id}/approve`).set('authorization', alice).send({})).body.error.code).toBe(
      'SECOND_PERSON_REQUIRED',
    );
    expect((await sql.query(`SELECT settled_kopiyky::text AS s FROM payments_treasury.adjustment WHERE id = $1`, [adj])).rows[0].s).toBe(
      '0',
    );
    expect(await count('ledger_leg', `kind = 'voluntary_return' AND ref_id = $1`, [adj])).toBe(0);
    expect((await http().post(`/approvals/${req.body.id}/approve`).set('authorization', bob).send({})).body).toMatchObject({
      status: 'executed',
      result: { settledKopiyky: '50000' },
    });
    expect(await count('ledger_leg', `kind = 'voluntary_return' AND ref_id = $1`, [adj])).toBe(2);

    const consent = await http()
      .post(`/adjustments/${adj}/voluntary-consent`)
      .set('authorization', alice)
      .send({ evidenceRef: 'заява № 3', reason: 'consent to recover the rest at once' });
    expect(consent.status).toBe(202);
    expect((await sql.query(`SELECT voluntary FROM payments_treasury.adjustment WHERE id = $1`, [adj])).rows[0].voluntary).toBe(false);
    await http().post(`/approvals/${consent.body.id}/approve`).set('authorization', bob).send({}).expect(200);
    expect((await sql.query(`SELECT voluntary FROM payments_treasury.adjustment WHERE id = $1`, [adj])).rows[0].voluntary).toBe(true);
  });
  it('checks the references of payroll lines and payments per statement as their foreign keys did: no orphan, no removal of a referenced row', async () => {
    const fk = async (statement: string, params: unknown[] = []) => {
      const err = await sql.query(statement, params).then(
        () => null,
        (e: { code?: string; constraint?: string }) => e,
      );
      return err && { code: err.code, constraint: err.constraint };
    };
    const [line] = (await sql.query(`SELECT payroll_id, assignment_id FROM payments_treasury.payroll_line LIMIT 1`)).rows;
    const [payment] = (await sql.query(`SELECT id, payroll_id, batch_id FROM payments_treasury.payment WHERE batch_id IS NOT NULL LIMIT 1`))
      .rows;
    // An inserted row naming a payroll, batch or payment that does not exist is refused (SQLSTATE 23503).
    expect(
      await fk(
        `INSERT INTO payments_treasury.payroll_line (payroll_id, assignment_id, assignment_version, recipient_person_id, katottg, month, accrued_kopiyky, net_kopiyky, explanation)
         VALUES ($1, gen_random_uuid(), 1, gen_random_uuid(), $2, '2026-11', 100, 100, 'orphan')`,
        [randomUUID(), KYIV],
      ),
    ).toEqual({ code: '23503', constraint: 'payroll_line_payroll_id_fkey' });
    for (const [column, constraint] of [
      ['payroll_id', 'payment_payroll_id_fkey'],
      ['batch_id', 'payment_batch_id_fkey'],
      ['reissue_of', 'payment_reissue_of_fkey'],
    ])
      expect(await fk(`UPDATE payments_treasury.payment SET ${column} = $2 WHERE id = $1`, [payment.id, randomUUID()])).toEqual({
        code: '23503',
        constraint,
      });
    // A referenced payroll, batch or payment is neither deleted nor re-keyed, nor its table truncated.
    expect(await fk(`DELETE FROM payments_treasury.payroll WHERE id = $1`, [line.payroll_id])).toMatchObject({ code: '23503' });
    expect(await fk(`UPDATE payments_treasury.payroll SET id = gen_random_uuid() WHERE id = $1`, [payment.payroll_id])).toMatchObject({
      code: '23503',
    });
    expect(await fk(`DELETE FROM payments_treasury.payment_batch WHERE id = $1`, [payment.batch_id])).toEqual({
      code: '23503',
      constraint: 'payment_batch_id_fkey',
    });
    expect((await fk(`TRUNCATE payments_treasury.payment_batch CASCADE`))?.code).toBeDefined();
    expect(await count('payroll_line', 'payroll_id = $1', [line.payroll_id])).toBeGreaterThan(0);
    expect(await count('payment', 'id = $1 AND batch_id = $2', [payment.id, payment.batch_id])).toBe(1);
  });
});
