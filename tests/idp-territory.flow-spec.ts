import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { AssignmentGrantedV2, AssignmentTerminatedV2, FundsReservedV1, PaymentSettledV1, type PayloadOf, Role } from '@eisss/contracts';
import { KafkaProbe, SHARED_DIR, ServiceProcess, TestEnvironment, expectEventually, tokenFor } from '@eisss/testing';
import {
  ORIGIN,
  PROGRAMME,
  awaitProjected,
  diiaApplication,
  grantManually,
  registerIdpFamily,
  type Family,
  FLOW_TOKENS,
  ok,
  setUpIdpBudget,
  payMonth as payIdpMonth,
  TREASURY_IBAN,
  type PaidPayroll,
} from './support/idp-family';

const CAMT053_XSD = join(SHARED_DIR, 'standards', 'iso20022', 'camt.053.001.08.xsd');

/**
 * Issue 9, "done when": the end of hostilities in the community of origin. social-register,
 * social-processing, verification, e-budget and payments-treasury as processes. An IDP family from
 * Donetsk oblast (the list's row for it has no end date) applies on 2026-11-10 and is granted 8 000 UAH a
 * month for 2026-11 … 2027-04; November is paid. The ministry's list is then imported with an end date
 * for the family's community of origin, 2026-11-25 (M = 2026-11): a second national supervisor approves
 * the import, processing recalculates the assignment in the same transaction — it keeps 3 more months
 * (paid through 2027-02, КМУ № 332 п. 2 as RULES.md states it) and stops from 2027-03
 * (AssignmentTerminatedV2, TERRITORY_HOSTILITIES_ENDED, citing the list row and the order). December is
 * still paid; e-budget releases the commitments of March and April; the March payroll accrues nothing,
 * and nothing already paid becomes an overpayment.
 */
describe('IDP territory flow: end of hostilities in the community of origin', () => {
  let env: TestEnvironment;
  let register: ServiceProcess;
  let processing: ServiceProcess;
  let verification: ServiceProcess;
  let budget: ServiceProcess;
  let treasury: ServiceProcess;
  let probe: KafkaProbe;
  let family: Family;
  let assignmentId: string;
  const national = tokenFor({ id: 'national-1', roles: [Role.Supervisor], territory: 'UA' });
  const national2 = tokenFor({ id: 'national-2', roles: [Role.Supervisor], territory: 'UA' });
  const { registrar, officer, supervisor, diia, budgetOfficer, treasurer } = FLOW_TOKENS;
  const topic = (c: { topic: string }) => env.topicPrefix + c.topic;
  const MONTHS = ['2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04'];

  const committed = async (year: string) =>
    Object.fromEntries(
      ok<{ key: string; committedKopiyky: string }[]>(
        await budget.request('GET', `/reports/execution?year=${year}&groupBy=month&programmeCode=${PROGRAMME}`, { token: budgetOfficer }),
      ).map((r) => [r.key, r.committedKopiyky]),
    );

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start([AssignmentGrantedV2, AssignmentTerminatedV2, FundsReservedV1, PaymentSettledV1].map(topic));
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
        if (p) writeFileSync(`${process.env.FLOW_LOG_DIR}/idp-territory.${p.service}.log`, p.logs());
    await Promise.all([register?.stop(), processing?.stop(), verification?.stop(), budget?.stop(), treasury?.stop()]);
    await probe?.stop();
    await env?.destroy();
  });

  const world = () => ({ treasury, probe, topicPrefix: env.topicPrefix, assignmentId });
  async function payMonth(month: string, settledOn: string): Promise<PaidPayroll> {
    const { run, approved } = await payIdpMonth(world(), month, settledOn);
    expect(run).toMatchObject({ month, lineCount: 1, accruedKopiyky: '800000', totalKopiyky: '800000' });
    return approved;
  }

  it('grants the family from a community on the list and pays November', async () => {
    await setUpIdpBudget(budget, MONTHS);

    // The list in force: the family's origin is listed on the date of application, without an end date.
    const listed = ok(await processing.request('GET', `/territories?katottg=${ORIGIN}&on=2026-11-10`, { token: officer }));
    expect(listed).toMatchObject({ status: 'listed', paidInMonth: true, row: { katottg: ORIGIN, endedOn: null } });

    family = await registerIdpFamily(register, registrar, 'Кравець');
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
    expect(granted).toMatchObject({ periodFrom: '2026-11', periodTo: '2027-04' });
    expect(granted.months.map((m) => [m.month, m.amountKopiyky])).toEqual(MONTHS.map((m) => [m, '800000']));
    await expectEventually(async () => expect(await committed('2027')).toMatchObject({ '2027-03': '800000', '2027-04': '800000' }), {
      timeoutMs: 30000,
    });

    await payMonth('2026-11', '2026-12-04');
  });

  it('an import with an end date for the origin, approved by a second person, keeps 3 more months and then stops', async () => {
    const asked = await processing.request('POST', '/territories/imports', {
      token: national,
      body: {
        sourceOrder: 'наказ Мінрозвитку № 376',
        sourceOrderDate: '2025-02-28',
        sourceVersion: 'зміни станом на 2026-12',
        csv: [
          'Код КАТОТТГ;Найменування;Розділ;Дата виникнення;Дата завершення',
          `${ORIGIN};Донецька область;активних бойових дій;24.02.2022;25.11.2026`,
        ].join('\n'),
        reason: 'визначено дату завершення бойових дій',
      },
    });
    const request = ok(asked, 202);
    expect(request).toMatchObject({ action: 'territories.import', status: 'pending' });
    // Nothing changes until a second person approves; the requester cannot.
    const self = await processing.request('POST', `/approvals/${request.id}/approve`, { token: national, body: {} });
    expect(self.status).toBe(403);
    expect(
      probe
        .envelopes<PayloadOf<typeof AssignmentTerminatedV2>>(topic(AssignmentTerminatedV2))
        .filter((x) => x.payload.assignment.assignmentId === assignmentId),
    ).toEqual([]);
    const approved = ok(await processing.request('POST', `/approvals/${request.id}/approve`, { token: national2, body: {} }));
    expect(approved).toMatchObject({
      status: 'executed',
      result: { listVersion: 2, recalculation: { checked: 1, terminated: 1, assignmentIds: [assignmentId] } },
    });

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
      effectiveFrom: '2027-03',
      reason: { code: 'TERRITORY_HOSTILITIES_ENDED' },
      assignment: { status: 'terminated', periodTo: '2027-02', version: 2 },
    });
    expect(terminated.reason?.text).toContain('наказ Мінрозвитку № 376');
    expect(terminated.reason?.text).toContain('paid through 2027-02');
    expect(terminated.differences.map((d) => [d.month, d.differenceKopiyky])).toEqual([
      ['2027-03', '-800000'],
      ['2027-04', '-800000'],
    ]);
    const view = ok(await processing.request('GET', `/assignments/${assignmentId}`, { token: officer }));
    expect(
      view.versions.map((v: { version: number; reason: { code: string } | null; createdBy: string; approvedBy: string | null }) => [
        v.version,
        v.reason?.code ?? null,
        v.createdBy,
        v.approvedBy,
      ]),
    ).toEqual([
      [1, null, 'officer-1', 'supervisor-1'],
      [2, 'TERRITORY_HOSTILITIES_ENDED', 'national-1', 'national-2'],
    ]);
    expect(JSON.stringify(view.explanation)).toContain('idp.territory.end-plus-3');

    // The list answers by date: listed up to the end date, ended after it; the earlier version kept.
    const after = ok(await processing.request('GET', `/territories?katottg=${ORIGIN}&on=2026-12-01`, { token: officer }));
    expect(after).toMatchObject({ status: 'ended', row: { endedOn: '2026-11-25', listVersion: 2 } });
    expect(after.history.map((r: { listVersion: number; endedOn: string | null }) => [r.listVersion, r.endedOn])).toEqual([
      [2, '2026-11-25'],
      [1, null],
    ]);
    expect(ok(await processing.request('GET', `/territories?katottg=${ORIGIN}&on=2026-11-25`, { token: officer })).status).toBe('listed');

    // e-budget releases the commitments of the months no longer paid.
    await expectEventually(
      async () =>
        expect(await committed('2027')).toMatchObject({ '2027-01': '800000', '2027-02': '800000', '2027-03': '0', '2027-04': '0' }),
      { timeoutMs: 30000 },
    );
  });

  it('pays December (within the 3 months), accrues nothing for March, and makes no overpayment', async () => {
    await payMonth('2026-12', '2026-12-28');
    const march = ok<PaidPayroll>(
      await treasury.request('POST', '/payrolls', {
        token: treasurer,
        body: { programmeCode: PROGRAMME, month: '2027-03', clientRequestId: 'payroll-2027-03' },
      }),
      201,
    );
    expect(march).toMatchObject({ month: '2027-03', lineCount: 0, accruedKopiyky: '0', totalKopiyky: '0' });
    const adjustments = ok(await treasury.request('GET', `/adjustments?assignmentId=${assignmentId}`, { token: treasurer }));
    expect(adjustments.total).toBe(0);
  });
});
