import { join } from 'node:path';
import {
  AssignmentChangedV2,
  AssignmentGrantedV2,
  AssignmentSuspendedV2,
  AssignmentTerminatedV2,
  FundsRejectedV1,
  FundsReservedV1,
  PaymentBatchSentV1,
  PaymentReturnedV1,
  PaymentSettledV1,
  PayrollApprovedV1,
  PayrollHeldV1,
  PayrollSubmittedV1,
  Role,
  type PayloadOf,
} from '@eisss/contracts';
import { KafkaProbe, SHARED_DIR, ServiceApp, TestEnvironment, expectEventually, tokenFor } from '@eisss/testing';
import { maskIban } from '@eisss/platform';
import { XMLParser } from 'fast-xml-parser';
import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { validateXML } from 'xmllint-wasm';
import { PayrollService } from '../src/payroll/payroll.service';
import { definition } from '../src/service.definition';
import { camt053, camt054 } from './support/camt';
import { assignmentEnvelope, envelopeOf, ibanAt, months, publish, snapshot, type AssignmentPayload } from './support/events';

const ISO = join(SHARED_DIR, 'standards', 'iso20022');
const CAMT053_XSD = `${ISO}/camt.053.001.08.xsd`;
const PAIN001_XSD = `${ISO}/pain.001.001.09.xsd`;
const TREASURY_IBAN = 'UA938999980000035221139001014';
const PROGRAMME = 'idp-living-allowance';

type Submitted = PayloadOf<typeof PayrollSubmittedV1>;

/**
 * payments-treasury against a real Postgres and Kafka: assignments arrive as processing's events,
 * e-budget's answers are produced by the test; payroll accrual, funds check, pain.001, camt.053/054,
 * returns and re-issue, overpayment recovery, ledger.
 */
describe(PayrollService.name, () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let probe: KafkaProbe;
  let sql: Client;
  const treasurer = `Bearer ${tokenFor({ roles: [Role.Treasurer], territory: 'UA', id: 'treasurer-1' })}`;
  /** The second person of two-person acts. */
  const treasurer2 = `Bearer ${tokenFor({ roles: [Role.Treasurer], territory: 'UA', id: 'treasurer-2' })}`;
  const approve = async (approvalId: string) => {
    const r = await app.http().post(`/approvals/${approvalId}/approve`).set('authorization', treasurer2).send({});
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'executed', decidedBy: 'treasurer-2' });
    return r.body as { result: Record<string, unknown> };
  };
  const topic = (c: { topic: string }) => env.topicPrefix + c.topic;

  const mfoA = '322313';
  const mfoB = '305299';
  const people = { a: randomUUID(), b: randomUUID(), c: randomUUID(), d: randomUUID() };
  const ids = { a: randomUUID(), b: randomUUID(), c: randomUUID(), d: randomUUID() };
  const ibanA = ibanAt(mfoA, '26007233566001');
  const ibanB = ibanAt(mfoB, '26001000012345');
  const ibanB2 = ibanAt(mfoB, '26001000099999');
  let novId: string;
  let decId: string;

  const grantA: AssignmentPayload = {
    assignment: snapshot({ assignmentId: ids.a, recipientPersonId: people.a, payment: { method: 'bank', iban: ibanA } }),
    reason: null,
    effectiveFrom: '2026-11',
    differences: [],
  };
  const grantB: AssignmentPayload = {
    assignment: snapshot({
      assignmentId: ids.b,
      recipientPersonId: people.b,
      payment: { method: 'bank', iban: ibanB },
      months: months('2026-11', '2027-04', '300000', 'КМУ № 332 п. 4: 3 000 UAH for a child'),
    }),
    reason: null,
    effectiveFrom: '2026-11',
    differences: [],
  };
  const grantC: AssignmentPayload = {
    assignment: snapshot({
      assignmentId: ids.c,
      recipientPersonId: people.c,
      payment: { method: 'post', postcode: '01001' },
      months: months('2026-11', '2027-04', '150000'),
    }),
    reason: null,
    effectiveFrom: '2026-11',
    differences: [],
  };
  const grantD: AssignmentPayload = {
    assignment: snapshot({ assignmentId: ids.d, recipientPersonId: people.d, payment: { method: 'bank', iban: ibanA } }),
    reason: null,
    effectiveFrom: '2026-11',
    differences: [],
  };

  async function submissionsOf(payrollId: string): Promise<Submitted[]> {
    return probe
      .envelopes<Submitted>(topic(PayrollSubmittedV1))
      .map((e) => e.payload)
      .filter((p) => p.payrollId === payrollId);
  }

  async function reserve(payrollId: string, expectedSubmissions = 1): Promise<void> {
    const s = await expectEventually(async () => {
      const all = await submissionsOf(payrollId);
      expect(all).toHaveLength(expectedSubmissions);
      return all[all.length - 1]!;
    });
    const payload = {
      reservationId: randomUUID(),
      payrollId,
      submissionId: s.submissionId,
      programmeCode: s.programmeCode,
      month: s.month,
      amountKopiyky: s.totalKopiyky,
      appropriationKopiyky: '100000000',
      availableAfterKopiyky: '1',
    };
    await publish(env.topicPrefix, FundsReservedV1, envelopeOf(FundsReservedV1, payload, payrollId));
    await expectEventually(async () =>
      expect((await app.http().get(`/payrolls/${payrollId}`).set('authorization', treasurer)).body.status).toBe('approved'),
    );
  }

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start(
      [PayrollSubmittedV1, PayrollApprovedV1, PayrollHeldV1, PaymentBatchSentV1, PaymentSettledV1, PaymentReturnedV1].map(
        (c) => env.topicPrefix + c.topic,
      ),
    );
    // TREASURY_CAMT053_XSD is not set: statements are validated against the schema shipped with the service.
    app = await ServiceApp.start(definition, env.env('payments-treasury', { TREASURY_DEBTOR_IBAN: TREASURY_IBAN }));
    sql = await env.sql('payments-treasury');
  });

  afterAll(async () => {
    await sql?.end();
    await app?.close();
    await probe?.stop();
    await env?.destroy();
  });

  it('projects assignments from processing events and stops a suspended one when they are delivered', async () => {
    for (const g of [grantA, grantB, grantC, grantD])
      await publish(env.topicPrefix, AssignmentGrantedV2, await assignmentEnvelope(AssignmentGrantedV2, g));
    const suspended: AssignmentPayload = {
      ...grantD,
      assignment: { ...grantD.assignment, version: 2, status: 'suspended' },
      reason: { code: 'ABROAD', text: 'abroad > 30 days' },
      effectiveFrom: '2026-11',
    };
    await publish(env.topicPrefix, AssignmentSuspendedV2, await assignmentEnvelope(AssignmentSuspendedV2, suspended));
    await expectEventually(async () => {
      const r = await sql.query(`SELECT assignment_id, version, stop_from FROM payments_treasury.assignment ORDER BY assignment_id`);
      expect(r.rowCount).toBe(4);
      expect(r.rows.find((x) => x.assignment_id === ids.d)).toMatchObject({ version: 2, stop_from: '2026-11' });
    });
  });

  it('accrues every active assignment for the month with control totals when the payroll runs', async () => {
    const res = await app
      .http()
      .post('/payrolls')
      .set('authorization', treasurer)
      .send({ programmeCode: PROGRAMME, month: '2026-11', clientRequestId: 'run-2026-11' });
    expect(res.status).toBe(201);
    novId = res.body.id;
    expect(res.body).toMatchObject({
      status: 'submitted',
      lineCount: 3,
      accruedKopiyky: '650000',
      arrearsKopiyky: '0',
      deductionsKopiyky: '0',
      totalKopiyky: '650000',
    });
    const lines = await app.http().get(`/payrolls/${novId}/lines`).set('authorization', treasurer);
    expect(lines.body.total).toBe(3);
    expect(lines.body.items.map((l: { netKopiyky: string }) => l.netKopiyky).sort()).toEqual(['150000', '200000', '300000']);
    expect(lines.body.items[0].explanation).toMatch(/КМУ № 332/);
    const again = await app
      .http()
      .post('/payrolls')
      .set('authorization', treasurer)
      .send({ programmeCode: PROGRAMME, month: '2026-11', clientRequestId: 'run-2026-11' });
    expect(again.body.id).toBe(novId);
    const other = await app.http().post('/payrolls').set('authorization', treasurer).send({ programmeCode: PROGRAMME, month: '2026-11' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('PAYROLL_EXISTS');
    const [s] = await expectEventually(async () => {
      const all = await submissionsOf(novId);
      expect(all).toHaveLength(1);
      return all;
    });
    expect(s).toMatchObject({ lineCount: 3, totalKopiyky: '650000', regions: [{ region: 'UA80', lineCount: 3, totalKopiyky: '650000' }] });
  });

  it('holds the payroll with the reason when e-budget rejects the funds and approves it after resubmission', async () => {
    const [s] = await submissionsOf(novId);
    const rejected = {
      payrollId: novId,
      submissionId: s!.submissionId,
      programmeCode: PROGRAMME,
      month: '2026-11',
      requestedKopiyky: '650000',
      availableKopiyky: '500000',
      reasonCode: 'APPROPRIATION_EXCEEDED' as const,
      reason: 'payroll 6500.00 UAH exceeds the available appropriation 5000.00 UAH',
    };
    await publish(env.topicPrefix, FundsRejectedV1, envelopeOf(FundsRejectedV1, rejected, novId));
    await expectEventually(async () => {
      const p = (await app.http().get(`/payrolls/${novId}`).set('authorization', treasurer)).body;
      expect(p).toMatchObject({ status: 'held', holdReasonCode: 'APPROPRIATION_EXCEEDED' });
      expect(p.holdReason).toMatch(/exceeds the available appropriation/);
    });
    await expectEventually(() => expect(probe.envelopes(topic(PayrollHeldV1)).filter((e) => e.aggregateId === novId)).toHaveLength(1));
    const notApproved = await app.http().post(`/payrolls/${novId}/batches`).set('authorization', treasurer);
    expect(notApproved.status).toBe(409);
    expect(notApproved.body.error.code).toBe('PAYROLL_NOT_APPROVED');

    const re = await app.http().post(`/payrolls/${novId}/resubmit`).set('authorization', treasurer);
    expect(re.status).toBe(200);
    expect(re.body.status).toBe('submitted');
    await reserve(novId, 2);
    await expectEventually(() =>
      expect(
        probe.envelopes<PayloadOf<typeof PayrollApprovedV1>>(topic(PayrollApprovedV1)).find((e) => e.aggregateId === novId)?.payload,
      ).toMatchObject({ paymentCount: 3, totalKopiyky: '650000' }),
    );
  });

  let bankFiles: { id: string; channel: string; mfo: string | null; paymentCount: number; totalKopiyky: string }[] = [];

  it('exports one pain.001.001.09 per bank that validates against the pain.001 XSD with matching control sums and the named creditor', async () => {
    const res = await app.http().post(`/payrolls/${novId}/batches`).set('authorization', treasurer);
    expect(res.status).toBe(200);
    bankFiles = res.body;
    expect(bankFiles.map((b) => [b.channel, b.mfo, b.paymentCount, b.totalKopiyky]).sort()).toEqual(
      [
        ['bank', mfoB, 1, '300000'],
        ['bank', mfoA, 1, '200000'],
        ['post', null, 1, '150000'],
      ].sort(),
    );
    const parser = new XMLParser({
      ignoreAttributes: false,
      removeNSPrefix: true,
      parseTagValue: false,
      isArray: (n) => n === 'CdtTrfTxInf' || n === 'PmtInf',
    });
    for (const b of bankFiles.filter((x) => x.channel === 'bank')) {
      const file = await app
        .http()
        .get(`/batches/${b.id}/file`)
        .set('authorization', treasurer)
        .buffer(true)
        .parse((r, cb) => {
          let d = '';
          r.setEncoding('utf8');
          r.on('data', (c: string) => (d += c));
          r.on('end', () => cb(null, d));
        });
      expect(file.status).toBe(200);
      const xml = file.body as string;
      expect(existsSync(PAIN001_XSD)).toBe(true);
      const v = await validateXML({
        xml: [{ fileName: 'pain.xml', contents: xml }],
        schema: [{ fileName: 'pain.001.001.09.xsd', contents: readFileSync(PAIN001_XSD, 'utf8') }],
      });
      expect(v.errors.map((e) => e.message)).toEqual([]);
      expect(xml).toContain('xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"');
      const doc = parser.parse(xml).Document.CstmrCdtTrfInitn;
      const txs = doc.PmtInf[0].CdtTrfTxInf;
      const sum = txs.reduce(
        (s: bigint, t: { Amt: { InstdAmt: { '#text': string } } }) => s + BigInt(t.Amt.InstdAmt['#text'].replace('.', '')),
        0n,
      );
      expect(doc.GrpHdr.NbOfTxs).toBe(String(b.paymentCount));
      expect(doc.GrpHdr.CtrlSum).toBe(`${BigInt(b.totalKopiyky) / 100n}.${String(BigInt(b.totalKopiyky) % 100n).padStart(2, '0')}`);
      expect(doc.PmtInf[0].NbOfTxs).toBe(doc.GrpHdr.NbOfTxs);
      expect(doc.PmtInf[0].CtrlSum).toBe(doc.GrpHdr.CtrlSum);
      expect(sum.toString()).toBe(b.totalKopiyky);
      expect(doc.PmtInf[0].DbtrAcct.Id.IBAN).toBe(TREASURY_IBAN);
      expect(doc.PmtInf[0].DbtrAcct.Ccy).toBe('UAH');
      for (const t of txs) {
        expect(t.Amt.InstdAmt['@_Ccy']).toBe('UAH');
        expect(t.CdtrAcct.Id.IBAN).toMatch(/^UA[0-9]{27}$/);
        expect(t.CdtrAcct.Id.IBAN.substring(4, 10)).toBe(b.mfo);
        expect(t.CdtrAgt.FinInstnId.ClrSysMmbId.MmbId).toBe(b.mfo);
        expect(t.PmtId.EndToEndId).toMatch(/^[0-9a-f]{32}$/);
        expect(t.Cdtr).toEqual({ Nm: 'Отримувач Тестовий', Id: { PrvtId: { Othr: { Id: '3296909324', SchmeNm: { Cd: 'TXID' } } } } });
      }
      // The download is a read of every recipient in the file.
      const audit = await sql.query(
        `SELECT count(*)::int AS n FROM payments_treasury_audit.audit_log WHERE action = 'read' AND subject_type = 'person' AND actor_id = 'treasurer-1' AND purpose LIKE 'bank file %'`,
      );
      expect(audit.rows[0].n).toBeGreaterThanOrEqual(1);
    }
    await expectEventually(() =>
      expect(
        probe.envelopes(topic(PaymentBatchSentV1)).filter((e) => (e.payload as { payrollId: string }).payrollId === novId),
      ).toHaveLength(3),
    );
    const again = await app.http().post(`/payrolls/${novId}/batches`).set('authorization', treasurer);
    expect(again.body).toEqual([]);
  });

  async function paymentOf(assignmentId: string, status?: string) {
    const r = await sql.query(
      `SELECT id, end_to_end_id, amount_kopiyky::text AS amount, status, reissue_of, iban_masked FROM payments_treasury.payment WHERE assignment_id = $1 ${status ? 'AND status = $2' : ''} ORDER BY updated_at DESC`,
      status ? [assignmentId, status] : [assignmentId],
    );
    return r.rows[0] as {
      id: string;
      end_to_end_id: string;
      amount: string;
      status: string;
      reissue_of: string | null;
      iban_masked: string;
    };
  }

  it('settles payments from a camt.053 statement that validates against the XSD, holds the return of a settled one for a second person, and reports the unmatched entry', async () => {
    const a = await paymentOf(ids.a);
    const b = await paymentOf(ids.b);
    const xml = camt053({
      messageId: 'STMT-20261204-1',
      statementId: 'S-20261204',
      iban: TREASURY_IBAN,
      date: '2026-12-04',
      entries: [
        { endToEndId: a.end_to_end_id, amountKopiyky: a.amount, kind: 'settled', bookingDate: '2026-12-04' },
        { endToEndId: b.end_to_end_id, amountKopiyky: b.amount, kind: 'settled', bookingDate: '2026-12-04' },
        { endToEndId: b.end_to_end_id, amountKopiyky: b.amount, kind: 'returned', returnReason: 'AC04', bookingDate: '2026-12-04' },
        { endToEndId: 'f'.repeat(32), amountKopiyky: '12345', kind: 'settled', bookingDate: '2026-12-04' },
      ],
    });
    const v = await validateXML({
      xml: [{ fileName: 'statement.xml', contents: xml }],
      schema: [{ fileName: 'camt.053.001.08.xsd', contents: readFileSync(CAMT053_XSD, 'utf8') }],
    });
    expect(v.errors.map((e) => e.message)).toEqual([]);

    const res = await app.http().post('/statements').set('authorization', treasurer).send({ xml });
    expect(res.status).toBe(200);
    // b is settled by entry 2; entry 3 returns a settled (paid out) payment: booked only after a second person approves.
    expect(res.body).toMatchObject({
      kind: 'camt.053',
      entryCount: 4,
      settledCount: 2,
      returnedCount: 0,
      unmatchedCount: 1,
      pendingApprovalCount: 1,
      duplicate: false,
    });
    expect(await paymentOf(ids.a)).toMatchObject({ status: 'settled' });
    expect(await paymentOf(ids.b)).toMatchObject({ status: 'settled' });
    const pending = await app
      .http()
      .get('/approvals')
      .query({ action: 'payment.return-settled', status: 'pending' })
      .set('authorization', treasurer2);
    expect(pending.body.items).toHaveLength(1);
    expect(pending.body.items[0]).toMatchObject({
      subjectId: b.id,
      requestedBy: 'treasurer-1',
      payload: { reasonCode: 'AC04', on: '2026-12-04' },
    });
    const self = await app.http().post(`/approvals/${pending.body.items[0].id}/approve`).set('authorization', treasurer).send({});
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('SECOND_PERSON_REQUIRED');
    expect(await paymentOf(ids.b)).toMatchObject({ status: 'settled' });
    await approve(pending.body.items[0].id);
    expect(await paymentOf(ids.b)).toMatchObject({ status: 'returned' });
    const entry = await sql.query(`SELECT outcome FROM payments_treasury.statement_entry WHERE payment_id = $1 AND seq = 3`, [b.id]);
    expect(entry.rows[0].outcome).toBe('returned');
    await expectEventually(() => {
      expect(
        probe
          .envelopes<PayloadOf<typeof PaymentSettledV1>>(topic(PaymentSettledV1))
          .map((e) => e.payload)
          .find((p) => p.assignmentId === ids.a),
      ).toMatchObject({ amountKopiyky: '200000', month: '2026-11', settledOn: '2026-12-04' });
      expect(
        probe
          .envelopes<PayloadOf<typeof PaymentReturnedV1>>(topic(PaymentReturnedV1))
          .map((e) => e.payload)
          .find((p) => p.assignmentId === ids.b),
      ).toMatchObject({ reasonCode: 'AC04', amountKopiyky: '300000' });
    });

    const again = await app.http().post('/statements').set('authorization', treasurer).send({ xml });
    expect(again.body).toMatchObject({ duplicate: true, settledCount: 2, pendingApprovalCount: 1 });
    expect(
      probe.envelopes(topic(PaymentSettledV1)).filter((e) => (e.payload as { assignmentId: string }).assignmentId === ids.a),
    ).toHaveLength(1);

    const unmatched = await app.http().get('/statements/unmatched').set('authorization', treasurer);
    expect(unmatched.body.total).toBe(1);
    expect(unmatched.body.items[0]).toMatchObject({
      endToEndId: 'f'.repeat(32),
      amountKopiyky: '12345',
      note: 'no payment with this EndToEndId',
    });

    const invalid = await app
      .http()
      .post('/statements')
      .set('authorization', treasurer)
      .send({ xml: xml.replace('<Acct>', '<Acct><Bogus/>').replace('STMT-20261204-1', 'STMT-X') });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.code).toBe('STATEMENT_SCHEMA_INVALID');
  });

  it('settles a post payment on the post office confirmation and rejects it for a bank payment', async () => {
    const c = await paymentOf(ids.c);
    const res = await app
      .http()
      .post(`/payments/${c.id}/post-delivery`)
      .set('authorization', treasurer)
      .send({ outcome: 'delivered', on: '2026-12-06' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'settled', settledOn: '2026-12-06' });
    const bank = await paymentOf(ids.a);
    const bad = await app
      .http()
      .post(`/payments/${bank.id}/post-delivery`)
      .set('authorization', treasurer)
      .send({ outcome: 'delivered', on: '2026-12-06' });
    expect(bad.body.error.code).toBe('PAYMENT_NOT_POST');
  });

  it('re-issues the returned payment to the corrected account when processing changes the IBAN, and settles it from a camt.054', async () => {
    const corrected: AssignmentPayload = {
      ...grantB,
      assignment: { ...grantB.assignment, version: 2, payment: { method: 'bank', iban: ibanB2 } },
      reason: { code: 'ACCOUNT_CHANGED', text: 'new account' },
    };
    await publish(env.topicPrefix, AssignmentChangedV2, await assignmentEnvelope(AssignmentChangedV2, corrected));
    const reissued = await expectEventually(async () => {
      const p = await paymentOf(ids.b, 'pending');
      expect(p).toMatchObject({ iban_masked: maskIban(ibanB2), amount: '300000' });
      expect(p.reissue_of).not.toBeNull();
      return p;
    });
    const batches = await app.http().post(`/payrolls/${novId}/batches`).set('authorization', treasurer);
    expect(batches.body.map((b: { mfo: string; paymentCount: number }) => [b.mfo, b.paymentCount])).toEqual([[mfoB, 1]]);
    const note = camt054({
      messageId: 'NTF-1',
      notificationId: 'N-1',
      iban: TREASURY_IBAN,
      date: '2026-12-08',
      entries: [{ endToEndId: reissued.end_to_end_id, amountKopiyky: '300000', kind: 'settled', bookingDate: '2026-12-08' }],
    });
    const res = await app.http().post('/statements').set('authorization', treasurer).send({ xml: note });
    expect(res.body).toMatchObject({ kind: 'camt.054', settledCount: 1 });
  });

  let changeEnvelope: ReturnType<typeof envelopeOf<typeof AssignmentChangedV2>>;

  it('creates an overpayment for a paid month when a recalculation lowers it, and recovers at most 20 % of the next monthly amount', async () => {
    const change: AssignmentPayload = {
      assignment: {
        ...grantA.assignment,
        version: 2,
        months: months('2026-11', '2027-04', '100000', 'КМУ № 332 п. 4 after income test: 1 000 UAH'),
      },
      reason: { code: 'INCOME', text: 'income above the threshold from 2026-11' },
      effectiveFrom: '2026-11',
      differences: [{ month: '2026-11', previousKopiyky: '200000', newKopiyky: '100000', differenceKopiyky: '-100000' }],
    };
    changeEnvelope = await assignmentEnvelope(AssignmentChangedV2, change);
    await publish(env.topicPrefix, AssignmentChangedV2, changeEnvelope);
    const terminated: AssignmentPayload = {
      assignment: {
        ...grantC.assignment,
        version: 2,
        status: 'terminated',
        months: months('2026-11', '2026-11', '0', 'died 2026-10-30: no right from 2026-11'),
      },
      reason: { code: 'DEATH', text: 'recipient died' },
      effectiveFrom: '2026-11',
      differences: [{ month: '2026-11', previousKopiyky: '150000', newKopiyky: '0', differenceKopiyky: '-150000' }],
    };
    await publish(env.topicPrefix, AssignmentTerminatedV2, await assignmentEnvelope(AssignmentTerminatedV2, terminated));
    await expectEventually(async () => {
      const r = await sql.query(
        `SELECT assignment_id, kind, amount_kopiyky::text AS amount FROM payments_treasury.adjustment ORDER BY amount_kopiyky`,
      );
      expect(r.rows.map((x) => [x.assignment_id, x.kind, x.amount])).toEqual([
        [ids.a, 'overpayment', '100000'],
        [ids.c, 'overpayment', '150000'],
      ]);
    });

    const dec = await app.http().post('/payrolls').set('authorization', treasurer).send({ programmeCode: PROGRAMME, month: '2026-12' });
    expect(dec.status).toBe(201);
    decId = dec.body.id;
    // A: 1000.00 − 20 % = 800.00; B: 3000.00; C terminated, D suspended: not accrued.
    expect(dec.body).toMatchObject({ lineCount: 2, accruedKopiyky: '400000', deductionsKopiyky: '20000', totalKopiyky: '380000' });
    const lines = (await app.http().get(`/payrolls/${decId}/lines`).set('authorization', treasurer)).body.items as {
      assignmentId: string;
      deductionKopiyky: string;
      netKopiyky: string;
      explanation: string;
    }[];
    const a = lines.find((l) => l.assignmentId === ids.a)!;
    expect(a).toMatchObject({ deductionKopiyky: '20000', netKopiyky: '80000' });
    expect(a.explanation).toContain('rule: at most 20 % of the monthly amount without consent');
    const adj = await sql.query(`SELECT settled_kopiyky::text AS s FROM payments_treasury.adjustment WHERE assignment_id = $1`, [ids.a]);
    expect(adj.rows[0].s).toBe('20000');
    await reserve(decId);
  });

  it('ignores a second delivery of the same recalculation event', async () => {
    await publish(env.topicPrefix, AssignmentChangedV2, changeEnvelope);
    const marker: AssignmentPayload = {
      ...grantD,
      assignment: { ...grantD.assignment, version: 3, status: 'active' },
      effectiveFrom: '2026-12',
    };
    await publish(env.topicPrefix, AssignmentGrantedV2, await assignmentEnvelope(AssignmentGrantedV2, marker));
    // The marker on another partition key proves the consumer moved on; the redelivery changed nothing.
    await expectEventually(async () =>
      expect((await sql.query(`SELECT version FROM payments_treasury.assignment WHERE assignment_id = $1`, [ids.d])).rows[0].version).toBe(
        3,
      ),
    );
    await expectEventually(async () => {
      const inbox = await sql.query(`SELECT count(*)::int AS n FROM payments_treasury.inbox WHERE event_id = $1`, [changeEnvelope.eventId]);
      expect(inbox.rows[0].n).toBe(1);
    });
    const r = await sql.query(
      `SELECT count(*)::int AS n, sum(amount_kopiyky)::text AS s FROM payments_treasury.adjustment WHERE assignment_id = $1`,
      [ids.a],
    );
    expect(r.rows[0]).toEqual({ n: 1, s: '100000' });
  });

  it('deducts above the 20 % limit only after the recipient agrees, and records a voluntary return', async () => {
    const list = await app.http().get('/adjustments').query({ kind: 'overpayment', open: 'true' }).set('authorization', treasurer);
    expect(list.body.total).toBe(2);
    const a = list.body.items.find((x: { assignmentId: string }) => x.assignmentId === ids.a);
    const c = list.body.items.find((x: { assignmentId: string }) => x.assignmentId === ids.c);
    expect(a).toMatchObject({ amountKopiyky: '100000', settledKopiyky: '20000', voluntary: false });
    const consent = await app
      .http()
      .post(`/adjustments/${a.id}/voluntary-consent`)
      .set('authorization', treasurer)
      .send({ evidenceRef: 'заява № 15/2026', reason: 'recipient agreed to a full recovery' });
    expect(consent.status).toBe(202);
    expect(consent.body).toMatchObject({ action: 'adjustment.voluntary-consent', status: 'pending', evidenceRef: 'заява № 15/2026' });
    await approve(consent.body.id);
    expect((await sql.query(`SELECT voluntary FROM payments_treasury.adjustment WHERE id = $1`, [a.id])).rows[0].voluntary).toBe(true);
    const jan = await app.http().post('/payrolls').set('authorization', treasurer).send({ programmeCode: PROGRAMME, month: '2027-01' });
    // A: 1000.00 with the remaining 800.00 deducted by consent; B: 3000.00; D (active again since 2026-12): 2000.00.
    expect(jan.body).toMatchObject({ lineCount: 3, accruedKopiyky: '600000', deductionsKopiyky: '80000', totalKopiyky: '520000' });
    const evidence = { evidenceRef: 'платіжне доручення № 77', reason: 'the recipient returned part of the overpayment' };
    const tooMuch = await app
      .http()
      .post(`/adjustments/${c.id}/voluntary-return`)
      .set('authorization', treasurer)
      .send({ amountKopiyky: '150001', ...evidence });
    expect(tooMuch.body.error.code).toBe('RETURN_EXCEEDS_OVERPAYMENT');
    const ret = await app
      .http()
      .post(`/adjustments/${c.id}/voluntary-return`)
      .set('authorization', treasurer)
      .send({ amountKopiyky: '50000', ...evidence });
    expect(ret.status).toBe(202);
    expect(await approve(ret.body.id)).toMatchObject({ result: { settledKopiyky: '50000' } });
  });

  it('keeps every ledger entry balanced and every recipient reconciled with payroll lines, adjustments and payments', async () => {
    const view = await app
      .http()
      .get('/ledger/balances')
      .query({ recipientPersonId: people.a, programmeCode: PROGRAMME })
      .set('authorization', treasurer);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ reconciled: true, problems: [] });
    // accrued 2000 + 1000 + 1000 − overpayment 1000; paid 2000 (Nov); payable 800 (Dec) + 200 (Jan), not sent; overpaid 1000 − 200 − 800.
    expect(view.body.balances).toEqual({
      accrued: '300000',
      payable: '-100000',
      paid: '-200000',
      returned: '0',
      overpaid: '0',
      recovered: '0',
    });
    const c = await app
      .http()
      .get('/ledger/balances')
      .query({ recipientPersonId: people.c, programmeCode: PROGRAMME })
      .set('authorization', treasurer);
    expect(c.body).toMatchObject({ reconciled: true, balances: { accrued: '0', paid: '-150000', overpaid: '100000', recovered: '50000' } });
    const b = await app
      .http()
      .get('/ledger/balances')
      .query({ recipientPersonId: people.b, programmeCode: PROGRAMME })
      .set('authorization', treasurer);
    expect(b.body).toMatchObject({ reconciled: true, balances: { returned: '0', paid: '-300000' } });
    const check = await app.http().get('/ledger/check').set('authorization', treasurer);
    expect(check.body).toMatchObject({ unbalancedEntries: [], problems: [] });
    expect(check.body.checkedPairs).toBe(4);
  });

  it('documents every treasury route with its bearer security in the OpenAPI document', async () => {
    const doc = await app.http().get('/docs-json');
    expect(doc.status).toBe(200);
    for (const path of [
      '/payrolls',
      '/payrolls/{id}',
      '/payrolls/{id}/lines',
      '/payrolls/{id}/resubmit',
      '/payrolls/{id}/batches',
      '/batches/{id}/file',
      '/payments',
      '/payments/{id}/reissue',
      '/payments/{id}/post-delivery',
      '/statements',
      '/statements/unmatched',
      '/ledger/balances',
      '/ledger/check',
      '/adjustments',
      '/adjustments/{id}/voluntary-consent',
      '/adjustments/{id}/voluntary-return',
      '/approvals',
      '/approvals/{id}',
      '/approvals/{id}/approve',
      '/approvals/{id}/reject',
    ]) {
      expect(Object.keys(doc.body.paths)).toContain(path);
    }
  });

  it('refuses a payroll run without the treasurer role and rejects a malformed month with the field', async () => {
    const officer = `Bearer ${tokenFor({ roles: [Role.Officer], territory: 'UA' })}`;
    expect(
      (await app.http().post('/payrolls').set('authorization', officer).send({ programmeCode: PROGRAMME, month: '2027-01' })).status,
    ).toBe(403);
    const bad = await app.http().post('/payrolls').set('authorization', treasurer).send({ programmeCode: PROGRAMME, month: '2027-13' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('month');
  });
});
