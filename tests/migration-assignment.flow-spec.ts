import {
  AssignmentGrantedV2,
  AssignmentMigratedV1,
  FundsReservedV1,
  HouseholdChangedV1,
  PaymentSettledV1,
  PersonPaymentAccountChangedV2,
  PersonRegisteredV1,
  StatusGrantedV1,
  type PayloadOf,
} from '@eisss/contracts';
import { maskIban, maskRnokpp } from '@eisss/platform';
import {
  KafkaProbe,
  ServiceProcess,
  TestEnvironment,
  expectEventually,
  openedByTreasury,
  publishEvent,
  sealedAccount,
  sealedPayee,
} from '@eisss/testing';
import { XMLParser } from 'fast-xml-parser';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Client } from 'pg';
import {
  FAMILY_IBAN,
  FLOW_TOKENS,
  KYIV,
  PROGRAMME,
  TREASURY_IBAN,
  ok,
  payMonth,
  rnokppFor,
  setUpIdpBudget,
  uah,
} from './support/idp-family';

/** One legacy case of АСОПД as its extract describes it (persons.csv, accounts.csv, households.csv, members.csv, statuses.csv, assignments.csv). */
interface LegacyCase {
  legacyCaseNumber: string;
  person: { lastName: string; firstName: string; patronymic: string; birthDate: string; sex: 'female' | 'male'; rnokpp: string };
  iban: string;
  idpSince: string;
  programmeCode: string;
  periodFrom: string;
  periodTo: string;
  monthlyAmountKopiyky: string;
  decision: { number: string; date: string };
}

/**
 * The start of the flow: what the register publishes after importing one legacy case (approved import
 * jobs of persons, households and members, statuses, accounts and assignments: docs/migration.md, 3).
 * Produced here onto Kafka as the register's outbox would, with the register's envelopes and the account
 * and holder sealed for the treasury as the register seals them. To be replaced by a real
 * `register import` of the extract's files; it answers the register ids of the person and the household.
 */
async function registerImportsLegacyCase(env: TestEnvironment, c: LegacyCase): Promise<{ personId: string; householdId: string }> {
  const personId = randomUUID();
  const householdId = randomUUID();
  const importJobId = randomUUID();
  const at = new Date().toISOString();
  await publishEvent(
    env.topicPrefix,
    PersonRegisteredV1,
    {
      personId,
      rnokppMasked: maskRnokpp(c.person.rnokpp),
      name: { lastName: c.person.lastName, firstName: c.person.firstName, patronymic: c.person.patronymic },
      birthDate: c.person.birthDate,
      sex: c.person.sex,
      deathDate: null,
      katottg: KYIV,
      registeredAt: at,
    },
    personId,
  );
  await publishEvent(
    env.topicPrefix,
    HouseholdChangedV1,
    {
      householdId,
      change: 'created',
      personId,
      katottg: KYIV,
      members: [{ personId, role: 'head', joinedOn: c.idpSince, leftOn: null }],
      version: 1,
      changedAt: at,
    },
    householdId,
  );
  await publishEvent(
    env.topicPrefix,
    StatusGrantedV1,
    {
      statusId: randomUUID(),
      personId,
      type: 'idp',
      validFrom: c.idpSince,
      validTo: null,
      source: 'migration:asopd',
      katottg: KYIV,
      details: { originKatottg: 'UA14000000000000000' },
    },
    personId,
  );
  await publishEvent(
    env.topicPrefix,
    PersonPaymentAccountChangedV2,
    {
      personId,
      account: await sealedAccount({ method: 'bank', iban: c.iban }),
      holder: await sealedPayee({
        fullName: `${c.person.lastName} ${c.person.firstName} ${c.person.patronymic}`,
        rnokpp: c.person.rnokpp,
        documentNumber: null,
      }),
      changeRequestId: null,
      requestedBy: 'registrar-1',
      approvedBy: 'register-supervisor-1',
      version: 2,
      changedAt: at,
    },
    personId,
  );
  await publishEvent(
    env.topicPrefix,
    AssignmentMigratedV1,
    {
      importJobId,
      sourceSystem: 'asopd',
      legacyCaseNumber: c.legacyCaseNumber,
      personId,
      householdId,
      katottg: KYIV,
      programmeCode: c.programmeCode,
      periodFrom: c.periodFrom,
      periodTo: c.periodTo,
      monthlyAmountKopiyky: c.monthlyAmountKopiyky,
      decision: c.decision,
      requestedBy: 'registrar-1',
      approvedBy: 'register-supervisor-1',
    },
    personId,
  );
  return { personId, householdId };
}

/**
 * Issue 14, "done when … an imported IDP assignment is paid by the next payroll": an active IDP living
 * allowance of АСОПД (3 000 UAH a month for 2026-12 … 2027-05, decision № 512/2026 of 25.11.2026) is
 * imported into the register with its recipient, household, status and account; processing takes it over
 * and publishes assignment.granted marked with its legacy source; e-budget commits it; the December
 * payroll accrues it with the imported amount, passes the funds check, is exported as pain.001 to the
 * imported account and settled by a camt.053.
 */
describe('migrated assignment flow', () => {
  let env: TestEnvironment;
  let processing: ServiceProcess;
  let budget: ServiceProcess;
  let treasury: ServiceProcess;
  let probe: KafkaProbe;
  let treasuryDb: Client;
  let recipient: { personId: string; householdId: string };
  let assignmentId: string;
  const { officer, budgetOfficer, treasurer } = FLOW_TOKENS;
  const topic = (c: { topic: string }) => env.topicPrefix + c.topic;
  const legacy: LegacyCase = {
    legacyCaseNumber: 'ASOPD-8000-004512',
    person: { lastName: 'Савчук', firstName: 'Марія', patronymic: 'Петрівна', birthDate: '1984-06-02', sex: 'female', rnokpp: '' },
    iban: FAMILY_IBAN,
    idpSince: '2024-03-15',
    programmeCode: PROGRAMME,
    periodFrom: '2026-12',
    periodTo: '2027-05',
    monthlyAmountKopiyky: '300000',
    decision: { number: '512/2026', date: '2026-11-25' },
  };
  legacy.person.rnokpp = rnokppFor(legacy.person.birthDate, Math.floor(Math.random() * 1000), 'female');
  const explanation = `перенесено з АСОПД, справа № ${legacy.legacyCaseNumber}, рішення № 512/2026 від 25.11.2026; сума за даними системи-джерела`;

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start([AssignmentGrantedV2, FundsReservedV1, PaymentSettledV1].map(topic));
    [processing, budget, treasury] = await Promise.all([
      ServiceProcess.start('social-processing', env.env('social-processing')),
      ServiceProcess.start('e-budget', env.env('e-budget')),
      ServiceProcess.start('payments-treasury', env.env('payments-treasury', { TREASURY_DEBTOR_IBAN: TREASURY_IBAN })),
    ]);
    treasuryDb = await env.sql('payments-treasury');
    await setUpIdpBudget(budget, ['2026-12', '2027-01']);
  });

  afterAll(async () => {
    if (process.env.FLOW_LOG_DIR)
      for (const p of [processing, budget, treasury])
        if (p) writeFileSync(`${process.env.FLOW_LOG_DIR}/migration-assignment.${p.service}.log`, p.logs());
    await treasuryDb?.end();
    await Promise.all([processing?.stop(), budget?.stop(), treasury?.stop()]);
    await probe?.stop();
    await env?.destroy();
  });

  it('takes the imported assignment over: assignment.granted with the legacy source, the imported amount and account', async () => {
    recipient = await registerImportsLegacyCase(env, legacy);
    const granted = await expectEventually(
      () => {
        const e = probe
          .envelopes<PayloadOf<typeof AssignmentGrantedV2>>(topic(AssignmentGrantedV2))
          .filter((x) => x.payload.assignment.recipientPersonId === recipient.personId);
        expect(e).toHaveLength(1);
        return e[0]!;
      },
      { timeoutMs: 40000 },
    );
    expect(granted.producer).toBe('social-processing');
    const a = granted.payload.assignment;
    assignmentId = a.assignmentId;
    expect(a).toMatchObject({
      applicationId: null,
      programmeCode: PROGRAMME,
      ruleSetVersion: 'migration@asopd',
      householdId: recipient.householdId,
      memberPersonIds: [recipient.personId],
      katottg: KYIV,
      periodFrom: '2026-12',
      periodTo: '2027-05',
      status: 'active',
      origin: { kind: 'migration', sourceSystem: 'asopd', legacyCaseNumber: legacy.legacyCaseNumber, importJobId: expect.any(String) },
      payment: { method: 'bank', ibanMasked: maskIban(FAMILY_IBAN) },
      payee: { fullName: 'Савчук Марія Петрівна', rnokppMasked: maskRnokpp(legacy.person.rnokpp) },
    });
    expect(a.months).toEqual(
      ['2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05'].map((month) => ({ month, amountKopiyky: '300000', explanation })),
    );
    expect(await openedByTreasury(a.payment!)).toEqual({ method: 'bank', iban: FAMILY_IBAN });
    const view = ok(await processing.request('GET', `/assignments/${assignmentId}`, { token: officer }));
    expect(view).toMatchObject({ origin: a.origin, applicationId: null, status: 'active' });
  });

  it('e-budget commits the six imported months and the treasury holds the assignment', async () => {
    const execution = async (year: string) =>
      ok<{ key: string; planKopiyky: string; committedKopiyky: string }[]>(
        await budget.request('GET', `/reports/execution?year=${year}&groupBy=month&programmeCode=${PROGRAMME}`, { token: budgetOfficer }),
      );
    await expectEventually(
      async () => {
        expect((await execution('2026')).map((r) => [r.key, r.committedKopiyky])).toEqual([['2026-12', '300000']]);
        expect((await execution('2027')).map((r) => [r.key, r.committedKopiyky])).toEqual(
          ['2027-01', '2027-02', '2027-03', '2027-04', '2027-05'].map((m) => [m, '300000']),
        );
      },
      { timeoutMs: 30000 },
    );
    await expectEventually(
      async () => {
        const r = await treasuryDb.query(
          `SELECT status, period_from, period_to, payment_method FROM payments_treasury.assignment WHERE assignment_id = $1`,
          [assignmentId],
        );
        expect(r.rows).toEqual([{ status: 'active', period_from: '2026-12', period_to: '2027-05', payment_method: 'bank' }]);
      },
      { timeoutMs: 30000 },
    );
  });

  it('the next payroll (December) pays it with the imported amount: funds check, pain.001 to the imported account, camt.053', async () => {
    const { run, approved } = await payMonth({ treasury, probe, topicPrefix: env.topicPrefix, assignmentId }, '2026-12', '2026-12-05');
    expect(run).toMatchObject({ month: '2026-12', lineCount: 1, accruedKopiyky: '300000', deductionsKopiyky: '0', totalKopiyky: '300000' });
    expect(approved).toMatchObject({ status: 'approved', totalKopiyky: '300000' });
    const lines = ok(await treasury.request('GET', `/payrolls/${run.id}/lines`, { token: treasurer }));
    expect(lines.items).toEqual([expect.objectContaining({ assignmentId, netKopiyky: '300000' })]);

    const reserved = probe
      .envelopes<PayloadOf<typeof FundsReservedV1>>(topic(FundsReservedV1))
      .find((e) => e.payload.payrollId === run.id)!;
    expect(reserved.payload).toMatchObject({ month: '2026-12', amountKopiyky: '300000' });

    const payments = ok(await treasury.request('GET', `/payments?assignmentId=${assignmentId}`, { token: treasurer }));
    expect(payments.items).toEqual([
      expect.objectContaining({
        month: '2026-12',
        amountKopiyky: '300000',
        status: 'settled',
        ibanMasked: maskIban(FAMILY_IBAN),
        batchId: expect.any(String),
      }),
    ]);
    const file = await treasury.request<string>('GET', `/batches/${payments.items[0].batchId}/file`, { token: treasurer });
    const doc = new XMLParser({
      ignoreAttributes: false,
      removeNSPrefix: true,
      parseTagValue: false,
      isArray: (n) => n === 'CdtTrfTxInf' || n === 'PmtInf',
    }).parse(file.body).Document.CstmrCdtTrfInitn;
    const txs = doc.PmtInf.flatMap((p: { CdtTrfTxInf: unknown[] }) => p.CdtTrfTxInf) as {
      Amt: { InstdAmt: { '#text': string } };
      Cdtr: { Nm: string; Id: { PrvtId: { Othr: { Id: string } } } };
      CdtrAcct: { Id: { IBAN: string } };
    }[];
    expect(txs.map((t) => [t.Cdtr.Nm, t.Cdtr.Id.PrvtId.Othr.Id, t.CdtrAcct.Id.IBAN, t.Amt.InstdAmt['#text']])).toEqual([
      ['Савчук Марія Петрівна', legacy.person.rnokpp, FAMILY_IBAN, uah('300000')],
    ]);
    const settled = probe
      .envelopes<PayloadOf<typeof PaymentSettledV1>>(topic(PaymentSettledV1))
      .filter((e) => e.payload.assignmentId === assignmentId);
    expect(settled.map((e) => [e.payload.month, e.payload.amountKopiyky, e.payload.recipientPersonId])).toEqual([
      ['2026-12', '300000', recipient.personId],
    ]);
  });
});
