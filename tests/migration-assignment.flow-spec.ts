import { AssignmentGrantedV2, FundsReservedV1, PaymentSettledV1, type PayloadOf } from '@eisss/contracts';
import { maskIban, maskRnokpp } from '@eisss/platform';
import {
  KafkaProbe,
  LEGACY_COLUMNS,
  ServiceProcess,
  TestEnvironment,
  expectEventually,
  openedByTreasury,
  type LegacyEntity,
} from '@eisss/testing';
import { XMLParser } from 'fast-xml-parser';
import { encode } from 'iconv-lite';
import { writeFileSync } from 'node:fs';
import type { Client } from 'pg';
import {
  FAMILY_IBAN,
  FLOW_TOKENS,
  KYIV,
  ORIGIN,
  PROGRAMME,
  REGISTER_SUPERVISOR,
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

/** An import job as `GET /imports/:id` answers it (the fields this flow looks at). */
interface ImportJob {
  id: string;
  entity: LegacyEntity;
  status: string;
  encoding: string;
  totalRows: number;
  createdRows: number;
  rejectedRows: number;
  createdBy: string;
  approvedBy: string | null;
}

/** The extract's files of one legacy case, in the order they are imported (docs/migration.md, 1): file name, rows (column → value). */
function legacyExtract(c: LegacyCase): { file: string; entity: LegacyEntity; rows: Record<string, string>[] }[] {
  const source_system = 'asopd';
  const person = `${c.legacyCaseNumber}-P1`;
  const household = `${c.legacyCaseNumber}-H`;
  const dmy = (iso: string) => iso.split('-').reverse().join('.');
  const lastDay = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
  const kopiyky = BigInt(c.monthlyAmountKopiyky);
  return [
    {
      file: 'persons-asopd-8000.csv',
      entity: 'persons',
      rows: [
        {
          source_system,
          legacy_id: person,
          rnokpp: c.person.rnokpp,
          last_name: c.person.lastName,
          first_name: c.person.firstName,
          patronymic: c.person.patronymic,
          birth_date: dmy(c.person.birthDate),
          sex: c.person.sex === 'female' ? 'Ж' : 'Ч',
          katottg: KYIV,
          address_text: 'м. Київ, вул. Січових Стрільців, 10, кв. 4',
        },
      ],
    },
    {
      file: 'accounts-asopd-8000.csv',
      entity: 'accounts',
      rows: [{ source_system, legacy_id: `${person}-A1`, person_legacy_id: person, iban: c.iban }],
    },
    {
      file: 'households-asopd-8000.csv',
      entity: 'households',
      rows: [{ source_system, legacy_id: household, katottg: KYIV, address_text: 'м. Київ, вул. Січових Стрільців, 10, кв. 4' }],
    },
    {
      file: 'members-asopd-8000.csv',
      entity: 'members',
      rows: [
        {
          source_system,
          legacy_id: `${household}-M1`,
          household_legacy_id: household,
          person_legacy_id: person,
          role: 'head',
          joined_on: c.idpSince,
        },
      ],
    },
    {
      file: 'statuses-asopd-8000.csv',
      entity: 'statuses',
      rows: [
        {
          source_system,
          legacy_id: `${person}-S1`,
          person_legacy_id: person,
          type: 'idp',
          valid_from: c.idpSince,
          document: '8000-0004512001',
          document_date: c.idpSince,
          origin_katottg: ORIGIN,
        },
      ],
    },
    {
      file: 'assignments-asopd-8000.csv',
      entity: 'assignments',
      rows: [
        {
          source_system,
          legacy_id: c.legacyCaseNumber,
          person_legacy_id: person,
          programme_code: c.programmeCode,
          period_from: `${c.periodFrom}-01`,
          period_to: lastDay(c.periodTo),
          monthly_amount: `${kopiyky / 100n},${String(kopiyky % 100n).padStart(2, '0')}`,
          decision_number: c.decision.number,
          decision_date: dmy(c.decision.date),
        },
      ],
    },
  ];
}

/** A CSV file of the exchange format: the entity's header, `;`, CRLF, fields quoted when they must be. */
function csvFile(entity: LegacyEntity, rows: Record<string, string>[]): string {
  const field = (v: string) => (/[";\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const columns = LEGACY_COLUMNS[entity];
  return [columns.join(';'), ...rows.map((r) => columns.map((col) => field(r[col] ?? '')).join(';'))].join('\r\n') + '\r\n';
}

/**
 * The start of the flow: the register imports the legacy case's extract over its REST API, as an
 * operator does it (docs/migration.md, 2–3): a national registrar uploads the six files in order
 * (`POST /imports?fileName=…`, the persons file in CP1251 as АСОПД writes it, the rest UTF-8) and polls
 * each job (`GET /imports/:id`); the jobs that move money (accounts, assignments) wait for a second
 * person, the register's supervisor, to approve them (`POST /imports/:id/approve`) before they apply.
 * Every row must be taken (none rejected). The register then publishes through its outbox what processing
 * takes over (person.registered, household.changed, person.status-granted, payment-account-changed,
 * assignment-migrated). Answers the register ids of the person and the household (by the legacy id lookup,
 * `GET /legacy-ids/asopd/:entity/:legacyId`) and the id of the assignments' job.
 */
async function registerImportsLegacyCase(
  register: ServiceProcess,
  c: LegacyCase,
): Promise<{ personId: string; householdId: string; assignmentsJobId: string }> {
  const { registrar } = FLOW_TOKENS;
  const job = async (id: string) =>
    expectEventually(
      async () => {
        const j = ok<ImportJob>(await register.request('GET', `/imports/${id}`, { token: registrar }));
        expect(['completed', 'awaiting_approval', 'failed']).toContain(j.status);
        return j;
      },
      { timeoutMs: 30000 },
    );
  const jobIds: Partial<Record<LegacyEntity, string>> = {};
  for (const { file, entity, rows } of legacyExtract(c)) {
    const text = csvFile(entity, rows);
    const res = await fetch(`${register.url}/imports?fileName=${encodeURIComponent(file)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${registrar}`, 'content-type': 'text/csv' },
      body: entity === 'persons' ? encode(text, 'win1251') : Buffer.from(text, 'utf8'),
    });
    const opened = (await res.json()) as ImportJob;
    expect({ status: res.status, entity: opened.entity }).toEqual({ status: 202, entity });
    let done = await job(opened.id);
    expect(done).toMatchObject({ encoding: entity === 'persons' ? 'cp1251' : 'utf8', totalRows: 1, rejectedRows: 0 });
    if (entity === 'accounts' || entity === 'assignments') {
      expect(done.status).toBe('awaiting_approval');
      ok(await register.request('POST', `/imports/${opened.id}/approve`, { token: REGISTER_SUPERVISOR }));
      done = await job(opened.id);
      expect(done.approvedBy).toBe('register-supervisor-1');
    }
    expect(done).toMatchObject({ status: 'completed', createdRows: 1, createdBy: 'registrar-1' });
    jobIds[entity] = opened.id;
  }
  const lookup = async (entity: 'person' | 'household', legacyId: string, jobId: string) => {
    const found = ok<{ registerId: string; jobId: string }>(
      await register.request('GET', `/legacy-ids/asopd/${entity}/${encodeURIComponent(legacyId)}`, { token: registrar }),
    );
    expect(found.jobId).toBe(jobId);
    return found.registerId;
  };
  return {
    personId: await lookup('person', `${c.legacyCaseNumber}-P1`, jobIds.persons!),
    householdId: await lookup('household', `${c.legacyCaseNumber}-H`, jobIds.households!),
    assignmentsJobId: jobIds.assignments!,
  };
}

/**
 * Issue 14, "done when … an imported IDP assignment is paid by the next payroll": an active IDP living
 * allowance of АСОПД (3 000 UAH a month for 2026-12 … 2027-05, decision № 512/2026 of 25.11.2026) is
 * imported into the register (the social-register service, over its /imports API) with its recipient,
 * household, status and account from the extract's six files; processing takes it over
 * and publishes assignment.granted marked with its legacy source; e-budget commits it; the December
 * payroll accrues it with the imported amount, passes the funds check, is exported as pain.001 to the
 * imported account and settled by a camt.053.
 */
describe('migrated assignment flow', () => {
  let env: TestEnvironment;
  let register: ServiceProcess;
  let processing: ServiceProcess;
  let budget: ServiceProcess;
  let treasury: ServiceProcess;
  let probe: KafkaProbe;
  let treasuryDb: Client;
  let recipient: { personId: string; householdId: string; assignmentsJobId: string };
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
    [register, processing, budget, treasury] = await Promise.all([
      ServiceProcess.start('social-register', env.env('social-register')),
      ServiceProcess.start('social-processing', env.env('social-processing')),
      ServiceProcess.start('e-budget', env.env('e-budget')),
      ServiceProcess.start('payments-treasury', env.env('payments-treasury', { TREASURY_DEBTOR_IBAN: TREASURY_IBAN })),
    ]);
    treasuryDb = await env.sql('payments-treasury');
    await setUpIdpBudget(budget, ['2026-12', '2027-01']);
  });

  afterAll(async () => {
    if (process.env.FLOW_LOG_DIR)
      for (const p of [register, processing, budget, treasury])
        if (p) writeFileSync(`${process.env.FLOW_LOG_DIR}/migration-assignment.${p.service}.log`, p.logs());
    await treasuryDb?.end();
    await Promise.all([register?.stop(), processing?.stop(), budget?.stop(), treasury?.stop()]);
    await probe?.stop();
    await env?.destroy();
  });

  it('takes the imported assignment over: assignment.granted with the legacy source, the imported amount and account', async () => {
    recipient = await registerImportsLegacyCase(register, legacy);
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
      origin: {
        kind: 'migration',
        sourceSystem: 'asopd',
        legacyCaseNumber: legacy.legacyCaseNumber,
        importJobId: recipient.assignmentsJobId,
      },
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
