import { join } from 'node:path';
import {
  AssignmentGrantedV2,
  AssignmentTerminatedV2,
  CrvsPersonDiedV1,
  FindingRaisedV1,
  FundsReservedV1,
  PaymentSettledV1,
  PayrollSubmittedV1,
  type PayloadOf,
  Role,
} from '@eisss/contracts';
import {
  KafkaProbe,
  SHARED_DIR,
  ServiceProcess,
  TestEnvironment,
  expectEventually,
  openedByTreasury,
  publishEvent,
  tokenFor,
} from '@eisss/testing';
import { maskIban, maskRnokpp } from '@eisss/platform';
import { XMLParser } from 'fast-xml-parser';
import { writeFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { readFileSync } from 'node:fs';
import {
  FAMILY_IBAN,
  FAMILY_MFO,
  PROGRAMME,
  awaitProjected,
  camt053,
  diiaApplication,
  grantManually,
  kopiyky,
  registerIdpFamily,
  uah,
  type Family,
  FLOW_TOKENS,
  ok,
} from './support/idp-family';

const TREASURY_IBAN = 'UA938999980000035221139001014';
const CAMT053_XSD = join(SHARED_DIR, 'standards', 'iso20022', 'camt.053.001.08.xsd');
const PAIN001_XSD = readFileSync(join(SHARED_DIR, 'standards', 'iso20022', 'pain.001.001.09.xsd'), 'utf8');

interface Payroll {
  id: string;
  month: string;
  status: string;
  lineCount: number;
  accruedKopiyky: string;
  arrearsKopiyky: string;
  deductionsKopiyky: string;
  totalKopiyky: string;
}
interface Batch {
  id: string;
  channel: string;
  mfo: string | null;
  paymentCount: number;
  totalKopiyky: string;
}
interface Payment {
  id: string;
  assignmentId: string;
  month: string;
  amountKopiyky: string;
  status: string;
  endToEndId: string;
  ibanMasked: string | null;
  settledOn: string | null;
}

/**
 * Issue 4, "done when": social-register, social-processing, verification, e-budget and payments-treasury
 * as processes over real Kafka and Postgres. An IDP family (mother, son, daughter with a disability)
 * applies on 2026-11-10 and is granted 8 000 UAH a month for 2026-11 … 2027-04 (КМУ № 332, п. 4);
 * e-budget commits it; the November and December payrolls are accrued, pass e-budget's funds check,
 * are exported as pain.001 and settled by camt.053; the register shows the use. The civil register then
 * reports (late) the mother's death on 2026-11-20: the right ends with the month of death (п. 13 as
 * implemented: stopped from the next month), so December, already paid, becomes an overpayment of
 * 800000 kopiyky and the January payroll no longer accrues the assignment.
 */
describe('IDP payment flow', () => {
  let env: TestEnvironment;
  let register: ServiceProcess;
  let processing: ServiceProcess;
  let verification: ServiceProcess;
  let budget: ServiceProcess;
  let treasury: ServiceProcess;
  let probe: KafkaProbe;
  let family: Family;
  let assignmentId: string;
  const regionalTreasurer = tokenFor({ id: 'treasurer-lviv', roles: [Role.Treasurer], territory: 'UA46' });
  const { registrar, officer, supervisor, diia, budgetOfficer, treasurer, verifier } = FLOW_TOKENS;
  const topic = (c: { topic: string }) => env.topicPrefix + c.topic;
  const parser = new XMLParser({
    ignoreAttributes: false,
    removeNSPrefix: true,
    parseTagValue: false,
    isArray: (n) => n === 'CdtTrfTxInf' || n === 'PmtInf',
  });

  const execution = async (year: string) =>
    ok<{ key: string; planKopiyky: string; committedKopiyky: string; reservedKopiyky: string; paidKopiyky: string }[]>(
      await budget.request('GET', `/reports/execution?year=${year}&groupBy=month&programmeCode=${PROGRAMME}`, { token: budgetOfficer }),
    );
  const paymentsOf = async (month: string) =>
    ok<{ items: Payment[]; total: number }>(
      await treasury.request('GET', `/payments?assignmentId=${assignmentId}`, { token: treasurer }),
    ).items.filter((p) => p.month === month);
  const entitlement = async () => {
    const body = ok(await register.request('GET', `/persons/${family.mother.id}/entitlements`, { token: officer }));
    expect(body.items).toHaveLength(1);
    return body.items[0];
  };

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start(
      [AssignmentGrantedV2, AssignmentTerminatedV2, FindingRaisedV1, PayrollSubmittedV1, FundsReservedV1, PaymentSettledV1].map(topic),
    );
    [register, processing, verification, budget, treasury] = await Promise.all([
      ServiceProcess.start('social-register', env.env('social-register')),
      ServiceProcess.start('social-processing', env.env('social-processing')),
      ServiceProcess.start('verification', env.env('verification')),
      ServiceProcess.start('e-budget', env.env('e-budget')),
      ServiceProcess.start(
        'payments-treasury',
        env.env('payments-treasury', { TREASURY_DEBTOR_IBAN: TREASURY_IBAN, TREASURY_CAMT053_XSD: CAMT053_XSD }),
      ),
    ]);
  });

  afterAll(async () => {
    if (process.env.FLOW_LOG_DIR)
      for (const p of [register, processing, verification, budget, treasury])
        if (p) writeFileSync(`${process.env.FLOW_LOG_DIR}/idp-payment.${p.service}.log`, p.logs());
    await Promise.all([register?.stop(), processing?.stop(), verification?.stop(), budget?.stop(), treasury?.stop()]);
    await probe?.stop();
    await env?.destroy();
  });

  it('sets up the programme by КПКВК and its appropriations in e-budget', async () => {
    ok(
      await budget.request('POST', '/budget-holders', {
        token: budgetOfficer,
        body: { code: 'minsotspolityky', name: 'Міністерство соціальної політики України' },
      }),
      201,
    );
    const p = ok(
      await budget.request('POST', '/programmes', {
        token: budgetOfficer,
        body: { code: PROGRAMME, kpkvk: '2501480', name: 'Допомога на проживання ВПО', holderCode: 'minsotspolityky' },
      }),
      201,
    );
    expect(p).toMatchObject({ code: PROGRAMME, kpkvk: '2501480' });
    const rows = ['2026-11', '2026-12', '2027-01'].map((month) => ({
      programmeCode: PROGRAMME,
      region: 'UA80',
      month,
      amountKopiyky: '100000000',
    }));
    expect(ok(await budget.request('POST', '/appropriations/import', { token: budgetOfficer, body: { format: 'json', rows } }))).toEqual({
      imported: 3,
    });
  });

  it('grants the family 800000 kopiyky a month and e-budget commits the six months', async () => {
    family = await registerIdpFamily(register, registrar, 'Гнатюк');
    await awaitProjected(env, processing, officer, [family.mother.id, family.son.id, family.daughter.id], 4);
    const app = ok(await processing.request('POST', '/applications', { token: diia, body: diiaApplication(family, '2026-11-10') }), 201);
    await grantManually(processing, app.id, officer, supervisor);
    const granted = await expectEventually(
      () => {
        const e = probe
          .envelopes<PayloadOf<typeof AssignmentGrantedV2>>(topic(AssignmentGrantedV2))
          .find((x) => x.payload.assignment.applicationId === app.id);
        expect(e).toBeDefined();
        return e!.payload.assignment;
      },
      { timeoutMs: 40000 },
    );
    assignmentId = granted.assignmentId;
    expect(granted).toMatchObject({
      recipientPersonId: family.mother.id,
      periodFrom: '2026-11',
      periodTo: '2027-04',
      payment: { method: 'bank', ibanMasked: maskIban(FAMILY_IBAN) },
      payee: { fullName: 'Гнатюк Оксана', rnokppMasked: maskRnokpp(family.mother.rnokpp) },
    });
    expect(await openedByTreasury(granted.payment!)).toEqual({ method: 'bank', iban: FAMILY_IBAN });
    expect(granted.months.map((m) => m.amountKopiyky)).toEqual(Array(6).fill('800000'));

    await expectEventually(
      async () => {
        expect((await execution('2026')).map((r) => [r.key, r.committedKopiyky])).toEqual([
          ['2026-11', '800000'],
          ['2026-12', '800000'],
        ]);
      },
      { timeoutMs: 30000 },
    );
    const y2027 = await execution('2027');
    expect(y2027.map((r) => [r.key, r.planKopiyky, r.committedKopiyky])).toEqual([
      ['2027-01', '100000000', '800000'],
      ['2027-02', '0', '800000'],
      ['2027-03', '0', '800000'],
      ['2027-04', '0', '800000'],
    ]);
  });

  /** Runs the month's payroll, waits for e-budget's reservation, exports pain.001, settles it with a camt.053. */
  async function payMonth(month: string, settledOn: string): Promise<Payroll> {
    const run = ok<Payroll>(
      await treasury.request('POST', '/payrolls', {
        token: treasurer,
        body: { programmeCode: PROGRAMME, month, clientRequestId: `payroll-${month}` },
      }),
      201,
    );
    expect(run).toMatchObject({
      month,
      lineCount: 1,
      accruedKopiyky: '800000',
      arrearsKopiyky: '0',
      deductionsKopiyky: '0',
      totalKopiyky: '800000',
    });
    const lines = ok(await treasury.request('GET', `/payrolls/${run.id}/lines`, { token: treasurer }));
    expect(lines.total).toBe(1);
    expect(lines.items[0]).toMatchObject({ assignmentId, netKopiyky: '800000' });

    // The funds check: treasury → PayrollSubmittedV1 → e-budget → FundsReservedV1 → approved.
    const approved = await expectEventually(
      async () => {
        const p = ok<Payroll>(await treasury.request('GET', `/payrolls/${run.id}`, { token: treasurer }));
        expect(p.status).toBe('approved');
        return p;
      },
      { timeoutMs: 30000 },
    );
    const reserved = probe
      .envelopes<PayloadOf<typeof FundsReservedV1>>(topic(FundsReservedV1))
      .find((e) => e.payload.payrollId === run.id)!;
    expect(reserved.producer).toBe('e-budget');
    expect(reserved.payload).toMatchObject({
      month,
      amountKopiyky: '800000',
      appropriationKopiyky: '100000000',
      availableAfterKopiyky: '99200000',
    });
    expect(approved.totalKopiyky).toBe('800000');

    const batches = ok<Batch[]>(await treasury.request('POST', `/payrolls/${run.id}/batches`, { token: treasurer }));
    expect(batches.map((b) => [b.channel, b.mfo, b.paymentCount, b.totalKopiyky])).toEqual([['bank', FAMILY_MFO, 1, '800000']]);
    const file = await treasury.request<string>('GET', `/batches/${batches[0]!.id}/file`, { token: treasurer });
    expect(file.status).toBe(200);
    expect(file.body).toContain('urn:iso:std:iso:20022:tech:xsd:pain.001.001.09');
    // A bank accepts it: valid against the ISO 20022 schema, every identifier within its facets.
    const valid = await validateXML({
      xml: [{ fileName: 'pain001.xml', contents: file.body }],
      schema: [{ fileName: 'pain.001.001.09.xsd', contents: PAIN001_XSD }],
    });
    expect(valid.errors.map((e) => e.message)).toEqual([]);
    // A treasurer of another oblast neither downloads the national bank file nor exports the payroll.
    const foreign = await treasury.request('GET', `/batches/${batches[0]!.id}/file`, { token: regionalTreasurer });
    expect([403, 404]).toContain(foreign.status);
    expect(foreign.body?.error?.code).toEqual(expect.any(String));
    const doc = parser.parse(file.body).Document.CstmrCdtTrfInitn;
    const txs = doc.PmtInf.flatMap((p: { CdtTrfTxInf: unknown[] }) => p.CdtTrfTxInf) as {
      PmtId: { EndToEndId: string };
      Amt: { InstdAmt: { '#text': string; '@_Ccy': string } };
      Cdtr: { Nm: string; Id: { PrvtId: { Othr: { Id: string; SchmeNm: { Cd: string } } } } };
      CdtrAcct: { Id: { IBAN: string } };
    }[];
    // The bank checks that the account belongs to the recipient: the creditor's name and РНОКПП (TXID).
    expect(txs.map((t) => [t.Cdtr.Nm, t.Cdtr.Id.PrvtId.Othr.Id, t.Cdtr.Id.PrvtId.Othr.SchmeNm.Cd])).toEqual([
      ['Гнатюк Оксана', family.mother.rnokpp, 'TXID'],
    ]);
    // Control sum and count of the file match the accrual.
    expect(doc.GrpHdr.NbOfTxs).toBe(String(approved.lineCount));
    expect(kopiyky(doc.GrpHdr.CtrlSum)).toBe(BigInt(approved.totalKopiyky));
    expect(txs.reduce((s, t) => s + kopiyky(t.Amt.InstdAmt['#text']), 0n)).toBe(BigInt(approved.totalKopiyky));
    expect(doc.PmtInf[0].DbtrAcct.Id.IBAN).toBe(TREASURY_IBAN);
    expect(txs.map((t) => [t.CdtrAcct.Id.IBAN, t.Amt.InstdAmt['@_Ccy'], t.Amt.InstdAmt['#text']])).toEqual([
      [FAMILY_IBAN, 'UAH', uah('800000')],
    ]);

    const [payment] = await paymentsOf(month);
    expect(payment).toMatchObject({ status: 'sent', amountKopiyky: '800000', endToEndId: txs[0]!.PmtId.EndToEndId });
    const xml = camt053({
      messageId: `STMT-${settledOn}`,
      statementId: `S-${settledOn}`,
      iban: TREASURY_IBAN,
      date: settledOn,
      entries: txs.map((t) => ({
        endToEndId: t.PmtId.EndToEndId,
        amountKopiyky: kopiyky(t.Amt.InstdAmt['#text']).toString(),
        bookingDate: settledOn,
      })),
    });
    const imported = ok(await treasury.request('POST', '/statements', { token: treasurer, body: { xml } }));
    expect(imported).toMatchObject({
      kind: 'camt.053',
      entryCount: 1,
      settledCount: 1,
      returnedCount: 0,
      unmatchedCount: 0,
      duplicate: false,
    });
    expect((await paymentsOf(month))[0]).toMatchObject({ status: 'settled', settledOn });
    const again = ok(await treasury.request('POST', '/statements', { token: treasurer, body: { xml } }));
    expect(again).toMatchObject({ duplicate: true, settledCount: 1 });

    const settled = await expectEventually(
      () => {
        const e = probe
          .envelopes<PayloadOf<typeof PaymentSettledV1>>(topic(PaymentSettledV1))
          .filter((x) => x.payload.assignmentId === assignmentId && x.payload.month === month);
        expect(e).toHaveLength(1);
        return e[0]!;
      },
      { timeoutMs: 20000 },
    );
    expect(settled.payload).toMatchObject({
      paymentId: payment!.id,
      recipientPersonId: family.mother.id,
      programmeCode: PROGRAMME,
      amountKopiyky: '800000',
      settledOn,
    });
    return approved;
  }

  it('pays November: accrued, funds reserved by e-budget, exported as pain.001 and settled by camt.053; the register shows the use', async () => {
    await payMonth('2026-11', '2026-12-04');
    const e = await expectEventually(
      async () => {
        const x = await entitlement();
        expect(x.paidKopiyky).toBe('800000');
        return x;
      },
      { timeoutMs: 20000 },
    );
    expect(e).toMatchObject({ assignmentId, status: 'active', entitledKopiyky: '4800000' });
    expect(e.payments).toEqual([
      expect.objectContaining({ assignmentId, month: '2026-11', amountKopiyky: '800000', settledOn: '2026-12-04' }),
    ]);
    await expectEventually(
      async () => {
        expect((await execution('2026')).find((r) => r.key === '2026-11')).toMatchObject({
          committedKopiyky: '800000',
          reservedKopiyky: '800000',
          paidKopiyky: '800000',
        });
      },
      { timeoutMs: 20000 },
    );
  });

  it('pays December the same way', async () => {
    await payMonth('2026-12', '2026-12-28');
    const e = await expectEventually(
      async () => {
        const x = await entitlement();
        expect(x.paidKopiyky).toBe('1600000');
        return x;
      },
      { timeoutMs: 20000 },
    );
    expect(e.payments.map((p: { month: string; amountKopiyky: string }) => [p.month, p.amountKopiyky]).sort()).toEqual([
      ['2026-11', '800000'],
      ['2026-12', '800000'],
    ]);
    // Settlements are keyed by the assignment (one partition): November's re-imported statement published nothing more.
    expect(probe.envelopes<PayloadOf<typeof PaymentSettledV1>>(topic(PaymentSettledV1)).map((x) => x.payload.month)).toEqual([
      '2026-11',
      '2026-12',
    ]);
  });

  it("stops the assignment from the month after the recipient's death and turns the paid December into an overpayment", async () => {
    await publishEvent(
      env.topicPrefix,
      CrvsPersonDiedV1,
      {
        referenceId: 'death-record-2026-118',
        regEventType: 'spdci-common:RegistryEventType:Death',
        regRecordType: 'spdci-extensions-crvs:Person',
        registeredOn: '2026-12-30',
        personId: family.mother.id,
        name: { surname: 'Гнатюк', givenName: 'Оксана', secondName: null },
        sex: 'female',
        birthDate: '1989-03-14',
        deathDate: '2026-11-20',
        deathPlace: 'Київ',
      },
      family.mother.id,
    );

    const finding = await expectEventually(
      () => {
        const f = probe
          .envelopes<PayloadOf<typeof FindingRaisedV1>>(topic(FindingRaisedV1))
          .find((x) => x.payload.finding.personId === family.mother.id);
        expect(f).toBeDefined();
        return f!.payload;
      },
      { timeoutMs: 30000 },
    );
    expect(finding).toMatchObject({
      finding: { rule: 'death', recommendedAction: 'stop_payment', effectiveDate: '2026-11-20' },
      assignmentIds: [assignmentId],
    });
    const listed = ok(await verification.request('GET', `/findings?personId=${family.mother.id}&rule=death`, { token: verifier }));
    expect(listed.total).toBe(1);

    const terminated = await expectEventually(
      () => {
        const t = probe
          .envelopes<PayloadOf<typeof AssignmentTerminatedV2>>(topic(AssignmentTerminatedV2))
          .find((x) => x.payload.assignment.assignmentId === assignmentId);
        expect(t).toBeDefined();
        return t!.payload;
      },
      { timeoutMs: 30000 },
    );
    expect(terminated).toMatchObject({
      effectiveFrom: '2026-12',
      reason: { code: 'RECIPIENT_DIED' },
      assignment: { status: 'terminated', periodTo: '2026-11', version: 2 },
    });
    expect(terminated.differences.map((d) => [d.month, d.previousKopiyky, d.newKopiyky, d.differenceKopiyky])).toEqual(
      ['2026-12', '2027-01', '2027-02', '2027-03', '2027-04'].map((m) => [m, '800000', '0', '-800000']),
    );
    const view = ok(await processing.request('GET', `/assignments/${assignmentId}`, { token: officer }));
    expect(view).toMatchObject({ status: 'terminated', periodTo: '2026-11' });

    // Treasury: December was accrued and paid without right → an overpayment of the whole month; November stays due.
    const overpayments = await expectEventually(
      async () => {
        const a = ok(await treasury.request('GET', `/adjustments?assignmentId=${assignmentId}`, { token: treasurer }));
        expect({ total: a.total, items: a.items.length }).toEqual({ total: 1, items: 1 });
        return a.items;
      },
      { timeoutMs: 30000 },
    );
    expect(overpayments[0]).toMatchObject({
      assignmentId,
      recipientPersonId: family.mother.id,
      month: '2026-12',
      kind: 'overpayment',
      amountKopiyky: '800000',
      settledKopiyky: '0',
    });
    const ledger = ok(
      await treasury.request('GET', `/ledger/balances?recipientPersonId=${family.mother.id}&programmeCode=${PROGRAMME}`, {
        token: treasurer,
      }),
    );
    expect(ledger).toMatchObject({ reconciled: true, problems: [] });
    expect(ledger.balances).toMatchObject({ paid: '-1600000', overpaid: '800000', returned: '0', recovered: '0' });

    // The register shows the right ended and what was used; e-budget releases the commitment from December
    // (paid without right: the treasury recovers it) and commits nothing for 2027.
    const e = await expectEventually(
      async () => {
        const x = await entitlement();
        expect(x.status).toBe('terminated');
        return x;
      },
      { timeoutMs: 20000 },
    );
    expect(e).toMatchObject({ periodTo: '2026-11', paidKopiyky: '1600000' });
    await expectEventually(
      async () => {
        expect({
          y2026: (await execution('2026')).map((r) => [r.key, r.committedKopiyky, r.paidKopiyky]),
          y2027: (await execution('2027')).map((r) => [r.key, r.committedKopiyky]),
        }).toEqual({
          y2026: [
            ['2026-11', '800000', '800000'],
            ['2026-12', '0', '800000'],
          ],
          y2027: [['2027-01', '0']],
        });
      },
      { timeoutMs: 20000 },
    );
  });

  it('does not accrue the terminated assignment in the January payroll', async () => {
    const jan = ok<Payroll>(
      await treasury.request('POST', '/payrolls', {
        token: treasurer,
        body: { programmeCode: PROGRAMME, month: '2027-01', clientRequestId: 'payroll-2027-01' },
      }),
      201,
    );
    expect(jan).toMatchObject({ month: '2027-01', lineCount: 0, accruedKopiyky: '0', totalKopiyky: '0' });
    const lines = ok(await treasury.request('GET', `/payrolls/${jan.id}/lines`, { token: treasurer }));
    expect(lines.items.find((l: { assignmentId: string }) => l.assignmentId === assignmentId)).toBeUndefined();
    expect(await paymentsOf('2027-01')).toEqual([]);
    const still = ok(
      await treasury.request('GET', `/adjustments?assignmentId=${assignmentId}&kind=overpayment&open=true`, { token: treasurer }),
    );
    expect(still.items.map((a: { month: string; amountKopiyky: string }) => [a.month, a.amountKopiyky])).toEqual([['2026-12', '800000']]);
  });
});
