import {
  AssignmentChangedV2,
  AssignmentGrantedV2,
  BorderCrossingRecordedV1,
  FindingRaisedV1,
  PaymentSettledV1,
  type PayloadOf,
} from '@eisss/contracts';
import { KafkaProbe, ServiceProcess, TestEnvironment, expectEventually, publishEvent } from '@eisss/testing';
import {
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

/**
 * Issue 9, "done when": an IDP family (mother, son, daughter with a disability: 8 000 UAH a month) is
 * paid for November and December. Border data arriving late shows the son abroad from 25.10 to 25.11 —
 * 31 days in a row, more than the 30 the act allows (КМУ № 332, п. 8): his share (3 000 UAH) stops, without
 * restoration, from the month after the limit was passed (December). December was already paid, so his
 * December share becomes an overpayment, which the January payroll deducts within the 20 % limit. The
 * daughter's 40-day stay abroad for documented treatment changes nothing.
 */
describe('IDP abroad flow', () => {
  let env: TestEnvironment;
  let register: ServiceProcess;
  let processing: ServiceProcess;
  let verification: ServiceProcess;
  let budget: ServiceProcess;
  let treasury: ServiceProcess;
  let probe: KafkaProbe;
  let family: Family;
  let assignmentId: string;
  const { registrar, officer, supervisor, diia, budgetOfficer, treasurer, verifier } = FLOW_TOKENS;
  const topic = (c: { topic: string }) => env.topicPrefix + c.topic;

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start([AssignmentGrantedV2, AssignmentChangedV2, FindingRaisedV1, PaymentSettledV1].map(topic));
    [register, processing, verification, budget, treasury] = await Promise.all([
      ServiceProcess.start('social-register', env.env('social-register')),
      ServiceProcess.start('social-processing', env.env('social-processing')),
      ServiceProcess.start('verification', env.env('verification')),
      ServiceProcess.start('e-budget', env.env('e-budget')),
      ServiceProcess.start('payments-treasury', env.env('payments-treasury', { TREASURY_DEBTOR_IBAN: TREASURY_IBAN })),
    ]);
    await setUpIdpBudget(budget, ['2026-11', '2026-12', '2027-01']);
  });

  afterAll(async () => {
    await Promise.all([register?.stop(), processing?.stop(), verification?.stop(), budget?.stop(), treasury?.stop()]);
    await probe?.stop();
    await env?.destroy();
  });

  const payMonth = async (month: string, settledOn: string) =>
    (await payIdpMonth({ treasury, probe, topicPrefix: env.topicPrefix, assignmentId }, month, settledOn)).approved;

  it('grants the family 800000 kopiyky a month and pays November and December', async () => {
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
    expect(granted.months.map((m) => m.amountKopiyky)).toEqual(Array(6).fill('800000'));
    // e-budget has committed it: the assignment events have gone round (the treasury consumes the same topic).
    await expectEventually(
      async () => {
        const rows = ok<{ key: string; committedKopiyky: string }[]>(
          await budget.request('GET', `/reports/execution?year=2026&groupBy=month&programmeCode=${PROGRAMME}`, { token: budgetOfficer }),
        );
        expect(rows.map((r) => [r.key, r.committedKopiyky])).toEqual([
          ['2026-11', '800000'],
          ['2026-12', '800000'],
        ]);
      },
      { timeoutMs: 30000 },
    );
    expect(await payMonth('2026-11', '2026-12-04')).toMatchObject({ lineCount: 1, totalKopiyky: '800000' });
    expect(await payMonth('2026-12', '2026-12-28')).toMatchObject({ lineCount: 1, totalKopiyky: '800000' });
  });

  it("stops the son's share from December after 31 days abroad, and the daughter's documented treatment changes nothing", async () => {
    const crossing = (
      id: string,
      personId: string,
      direction: 'exit' | 'entry',
      crossedOn: string,
      stayReason?: PayloadOf<typeof BorderCrossingRecordedV1>['stayReason'],
    ) =>
      publishEvent(
        env.topicPrefix,
        BorderCrossingRecordedV1,
        { crossingId: id, personId, direction, crossedOn, checkpoint: 'Ягодин', ...(stayReason ? { stayReason } : {}) },
        personId,
      );
    await crossing('dpsu-son-out', family.son.id, 'exit', '2026-10-25');
    await crossing('dpsu-son-in', family.son.id, 'entry', '2026-11-25');
    const treatment = { reason: 'treatment' as const, documentReference: 'висновок-ЛКК-2026-1115', from: '2026-11-15', to: '2026-12-24' };
    await crossing('dpsu-daughter-out', family.daughter.id, 'exit', '2026-11-15', treatment);
    await crossing('dpsu-daughter-in', family.daughter.id, 'entry', '2026-12-25', treatment);

    // The monthly check of recipients (run once the border data has arrived).
    const findings = await expectEventually(
      async () => {
        const run = ok(await verification.request('POST', '/checks/current-run?month=2026-12', { token: verifier }));
        const own = await verification.request('GET', `/findings?personId=${family.son.id}`, { token: verifier });
        expect(own.body.total).toBeGreaterThan(0);
        return { run, son: own.body.items };
      },
      { timeoutMs: 30000, intervalMs: 2000 },
    );
    expect(findings.son[0]).toMatchObject({ rule: 'abroad', recommendedAction: 'stop_payment' });
    expect((await verification.request('GET', `/findings?personId=${family.daughter.id}`, { token: verifier })).body.total).toBe(0);

    const changed = await expectEventually(
      () => {
        const e = probe
          .envelopes<PayloadOf<typeof AssignmentChangedV2>>(topic(AssignmentChangedV2))
          .find((x) => x.payload.assignment.assignmentId === assignmentId && x.payload.reason?.code === 'FINDING_ABROAD');
        expect(e).toBeDefined();
        return e!.payload;
      },
      { timeoutMs: 30000 },
    );
    expect(changed.effectiveFrom).toBe('2026-12');
    expect(changed.reason!.text).toMatch(/п\. 8/);
    expect(changed.assignment.months.map((m) => [m.month, m.amountKopiyky])).toEqual([
      ['2026-11', '800000'],
      ...['2026-12', '2027-01', '2027-02', '2027-03', '2027-04'].map((m) => [m, '500000']),
    ]);
    expect(changed.differences.map((d) => [d.month, d.differenceKopiyky])).toEqual(
      ['2026-12', '2027-01', '2027-02', '2027-03', '2027-04'].map((m) => [m, '-300000']),
    );
  });

  it('turns the paid December share into an overpayment and deducts it in January within the 20 % limit', async () => {
    const overpayment = await expectEventually(
      async () => {
        const a = ok(await treasury.request('GET', `/adjustments?assignmentId=${assignmentId}&kind=overpayment`, { token: treasurer }));
        expect({ total: a.total, items: a.items.length }).toEqual({ total: 1, items: 1 });
        return a.items[0];
      },
      { timeoutMs: 30000 },
    );
    expect(overpayment).toMatchObject({ month: '2026-12', kind: 'overpayment', amountKopiyky: '300000', settledKopiyky: '0' });
    expect(overpayment.explanation).toMatch(/FINDING_ABROAD/);

    // January: mother 2 000 + daughter 3 000 = 5 000 UAH accrued; 20 % of it (1 000 UAH) is deducted.
    const jan = ok<PaidPayroll>(
      await treasury.request('POST', '/payrolls', {
        token: treasurer,
        body: { programmeCode: PROGRAMME, month: '2027-01', clientRequestId: 'payroll-2027-01' },
      }),
      201,
    );
    expect(jan).toMatchObject({ lineCount: 1, accruedKopiyky: '500000', deductionsKopiyky: '100000', totalKopiyky: '400000' });
    const after = ok(await treasury.request('GET', `/adjustments?assignmentId=${assignmentId}&kind=overpayment`, { token: treasurer }));
    expect(after.items[0]).toMatchObject({ amountKopiyky: '300000', settledKopiyky: '100000' });
  });
});
