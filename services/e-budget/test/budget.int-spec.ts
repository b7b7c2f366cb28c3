import {
  Role,
  AssignmentGrantedV2,
  AssignmentTerminatedV2,
  FundsRejectedV1,
  FundsReservedV1,
  PaymentSettledV1,
  PayrollSubmittedV1,
  type EventContract,
  type EventEnvelope,
  type PayloadOf,
} from '@eisss/contracts';
import { KafkaProbe, ServiceApp, TestEnvironment, envelopeOf, expectEventually, produceRaw, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import { FundsService } from '../src/funds/funds.service';
import { definition } from '../src/service.definition';

type Assignment = PayloadOf<typeof AssignmentGrantedV2>;
const PROGRAMME = 'idp-living-allowance';

function monthsOf(from: string, n: number, amount: string) {
  const out = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (let i = 0; i < n; i++) {
    out.push({ month: `${y}-${String(m).padStart(2, '0')}`, amountKopiyky: amount, explanation: 'КМУ № 332 п. 4' });
    m++;
    if (m > 12) [y, m] = [y + 1, 1];
  }
  return out;
}

function grant(id: string, katottg: string, amount: string, from = '2026-11', n = 6): Assignment {
  const months = monthsOf(from, n, amount);
  return {
    assignment: {
      assignmentId: id,
      version: 1,
      applicationId: null,
      programmeCode: PROGRAMME,
      ruleSetVersion: 'idp-living-allowance@2024-03-01',
      recipientPersonId: randomUUID(),
      householdId: null,
      memberPersonIds: [],
      katottg,
      periodFrom: months[0]!.month,
      periodTo: months[months.length - 1]!.month,
      status: 'active',
      months,
      payment: { method: 'post', postcode: '01001' },
      payee: null,
    },
    reason: null,
    effectiveFrom: from,
    differences: [],
  };
}

/** e-budget against real Postgres and Kafka: classification, appropriations, commitments, funds check, execution, reports. */
describe(FundsService.name, () => {
  let env: TestEnvironment;
  let app: ServiceApp;
  let probe: KafkaProbe;
  let sql: Client;
  const officer = `Bearer ${tokenFor({ roles: [Role.BudgetOfficer], territory: 'UA', id: 'budget-1' })}`;
  const lvivOfficer = `Bearer ${tokenFor({ roles: [Role.BudgetOfficer], territory: 'UA46', id: 'budget-2' })}`;
  const kyiv = 'UA80000000000093317';
  const lviv = 'UA46060250010015970';
  const a1 = randomUUID();
  const a2 = randomUUID();
  const publish = (c: EventContract, e: EventEnvelope<unknown>) =>
    produceRaw(env.topicPrefix + c.topic, [{ key: e.aggregateId, value: JSON.stringify(e) }]);

  beforeAll(async () => {
    env = await TestEnvironment.create();
    probe = await KafkaProbe.start([FundsReservedV1, FundsRejectedV1].map((c) => env.topicPrefix + c.topic));
    app = await ServiceApp.start(definition, env.env('e-budget'));
    sql = await env.sql('e-budget');
  });

  afterAll(async () => {
    await sql?.end();
    await app?.close();
    await probe?.stop();
    await env?.destroy();
  });

  it('registers a budget holder and a programme by КПКВК, and a retry with the same data is idempotent', async () => {
    const h = await app
      .http()
      .post('/budget-holders')
      .set('authorization', officer)
      .send({ code: 'minsotspolityky', name: 'Міністерство соціальної політики України' });
    expect(h.status).toBe(201);
    const p = await app
      .http()
      .post('/programmes')
      .set('authorization', officer)
      .send({ code: PROGRAMME, kpkvk: '2501480', name: 'Допомога на проживання ВПО', holderCode: 'minsotspolityky' });
    expect(p.status).toBe(201);
    expect(p.body).toMatchObject({ kpkvk: '2501480', holderName: 'Міністерство соціальної політики України' });
    const again = await app
      .http()
      .post('/programmes')
      .set('authorization', officer)
      .send({ code: PROGRAMME, kpkvk: '2501480', name: 'Допомога на проживання ВПО', holderCode: 'minsotspolityky' });
    expect(again.status).toBe(201);
    const clash = await app
      .http()
      .post('/programmes')
      .set('authorization', officer)
      .send({ code: 'other', kpkvk: '2501480', name: 'x', holderCode: 'minsotspolityky' });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('PROGRAMME_EXISTS');
    const bad = await app
      .http()
      .post('/programmes')
      .set('authorization', officer)
      .send({ code: 'x2', kpkvk: '25014', name: 'x', holderCode: 'minsotspolityky' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('kpkvk');
  });

  it('imports appropriations from CSV and JSON uploads, and writes nothing when one row is invalid', async () => {
    const csv = [
      'programmeCode,region,month,amountKopiyky',
      `${PROGRAMME},UA80,2026-11,500000`,
      `${PROGRAMME},UA46,2026-11,300000`,
      `${PROGRAMME},UA80,2026-12,1000000`,
    ].join('\n');
    const r1 = await app.http().post('/appropriations/import').set('authorization', officer).send({ format: 'csv', content: csv });
    expect(r1.status).toBe(200);
    expect(r1.body).toEqual({ imported: 3 });
    const r2 = await app
      .http()
      .post('/appropriations/import')
      .set('authorization', officer)
      .send({ format: 'json', rows: [{ programmeCode: PROGRAMME, region: 'UA', month: '2027-01', amountKopiyky: '2000000' }] });
    expect(r2.body).toEqual({ imported: 1 });
    const bad = await app
      .http()
      .post('/appropriations/import')
      .set('authorization', officer)
      .send({
        format: 'json',
        rows: [
          { programmeCode: PROGRAMME, region: 'UA80', month: '2027-02', amountKopiyky: '1' },
          { programmeCode: PROGRAMME, region: 'UA80', month: '2027-02x', amountKopiyky: '10.50' },
        ],
      });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('APPROPRIATION_IMPORT_INVALID');
    expect(bad.body.error.details.problems.map((p: { row: number; field: string }) => `${p.row}:${p.field}`)).toEqual([
      '2:month',
      '2:amountKopiyky',
    ]);
    const put = await app
      .http()
      .put('/appropriations')
      .set('authorization', officer)
      .send({ programmeCode: PROGRAMME, region: 'UA46', month: '2026-12', amountKopiyky: '400000' });
    expect(put.status).toBe(200);
    const list = await app.http().get('/appropriations').query({ year: '2026' }).set('authorization', officer);
    expect(list.body.total).toBe(4);
    const lvivList = await app.http().get('/appropriations').query({ year: '2026' }).set('authorization', lvivOfficer);
    expect(lvivList.body.items.map((r: { region: string }) => r.region)).toEqual(['UA46', 'UA46']);
    const forbidden = await app
      .http()
      .put('/appropriations')
      .set('authorization', lvivOfficer)
      .send({ programmeCode: PROGRAMME, region: 'UA80', month: '2026-12', amountKopiyky: '1' });
    expect(forbidden.status).toBe(403);
  });

  it('commits the months × amounts of granted assignments and releases them on termination', async () => {
    await publish(AssignmentGrantedV2, envelopeOf(AssignmentGrantedV2, grant(a1, kyiv, '200000'), a1));
    await publish(AssignmentGrantedV2, envelopeOf(AssignmentGrantedV2, grant(a2, lviv, '300000'), a2));
    await expectEventually(async () => {
      const r = await sql.query(`SELECT count(*)::int AS n, sum(amount_kopiyky)::text AS s FROM e_budget.commitment_line`);
      expect(r.rows[0]).toEqual({ n: 12, s: String(6 * 200000 + 6 * 300000) });
    });
    const t = grant(a2, lviv, '300000');
    const terminated: Assignment = {
      ...t,
      assignment: { ...t.assignment, version: 2, status: 'terminated' },
      reason: { code: 'END_OF_RIGHT', text: 'returned home' },
      effectiveFrom: '2027-01',
    };
    const termEnvelope = envelopeOf(AssignmentTerminatedV2, terminated, a2);
    await publish(AssignmentTerminatedV2, termEnvelope);
    await expectEventually(async () => {
      const r = await sql.query(`SELECT month FROM e_budget.commitment_line WHERE assignment_id = $1 ORDER BY month`, [a2]);
      expect(r.rows.map((x) => x.month)).toEqual(['2026-11', '2026-12']);
    });
    // A late, older version changes nothing.
    await publish(AssignmentGrantedV2, envelopeOf(AssignmentGrantedV2, grant(a2, lviv, '300000'), a2));
    await publish(AssignmentTerminatedV2, termEnvelope);
    const marker = randomUUID();
    await publish(AssignmentGrantedV2, envelopeOf(AssignmentGrantedV2, grant(marker, kyiv, '1', '2027-06', 1), marker));
    await expectEventually(async () =>
      expect((await sql.query(`SELECT 1 FROM e_budget.commitment WHERE assignment_id = $1`, [marker])).rowCount).toBe(1),
    );
    expect((await sql.query(`SELECT count(*)::int AS n FROM e_budget.commitment_line WHERE assignment_id = $1`, [a2])).rows[0].n).toBe(2);
  });

  const submitted = (payrollId: string, submissionId: string, month: string, total: string): PayloadOf<typeof PayrollSubmittedV1> => ({
    payrollId,
    submissionId,
    programmeCode: PROGRAMME,
    month,
    lineCount: 2,
    accruedKopiyky: total,
    arrearsKopiyky: '0',
    deductionsKopiyky: '0',
    totalKopiyky: total,
    regions: [
      { region: 'UA80', lineCount: 1, totalKopiyky: String(BigInt(total) - 300000n) },
      { region: 'UA46', lineCount: 1, totalKopiyky: '300000' },
    ],
  });

  it('reserves funds for a payroll within the appropriation and rejects one beyond it with the reason, once per submission', async () => {
    const nov = randomUUID();
    const novSubmission = randomUUID();
    const novEnvelope = envelopeOf(PayrollSubmittedV1, submitted(nov, novSubmission, '2026-11', '500000'), nov);
    await publish(PayrollSubmittedV1, novEnvelope);
    const reserved = await expectEventually(() => {
      const e = probe
        .envelopes<PayloadOf<typeof FundsReservedV1>>(env.topicPrefix + FundsReservedV1.topic)
        .find((x) => x.payload.payrollId === nov);
      expect(e).toBeDefined();
      return e!;
    });
    expect(reserved.payload).toMatchObject({
      submissionId: novSubmission,
      amountKopiyky: '500000',
      appropriationKopiyky: '800000',
      availableAfterKopiyky: '300000',
    });
    expect(probe.on(env.topicPrefix + FundsReservedV1.topic).find((m) => m.headers['event-id'] === reserved.eventId)?.key).toBe(nov);

    const over = randomUUID();
    const overSubmission = randomUUID();
    await publish(
      PayrollSubmittedV1,
      envelopeOf(PayrollSubmittedV1, { ...submitted(over, overSubmission, '2026-11', '300001'), regions: [] }, over),
    );
    const rejected = await expectEventually(() => {
      const e = probe
        .envelopes<PayloadOf<typeof FundsRejectedV1>>(env.topicPrefix + FundsRejectedV1.topic)
        .find((x) => x.payload.payrollId === over);
      expect(e).toBeDefined();
      return e!.payload;
    });
    expect(rejected).toMatchObject({ reasonCode: 'APPROPRIATION_EXCEEDED', requestedKopiyky: '300001', availableKopiyky: '300000' });
    expect(rejected.reason).toContain('3000.01 UAH exceeds the available appropriation 3000.00 UAH');

    const unknown = randomUUID();
    await publish(
      PayrollSubmittedV1,
      envelopeOf(
        PayrollSubmittedV1,
        { ...submitted(unknown, randomUUID(), '2026-11', '1'), programmeCode: 'no-such-programme', regions: [] },
        unknown,
      ),
    );
    const none = randomUUID();
    await publish(
      PayrollSubmittedV1,
      envelopeOf(PayrollSubmittedV1, { ...submitted(none, randomUUID(), '2030-01', '1'), regions: [] }, none),
    );
    await expectEventually(() => {
      const codes = probe
        .envelopes<PayloadOf<typeof FundsRejectedV1>>(env.topicPrefix + FundsRejectedV1.topic)
        .map((x) => [x.payload.payrollId, x.payload.reasonCode]);
      expect(codes).toEqual(
        expect.arrayContaining([
          [unknown, 'PROGRAMME_UNKNOWN'],
          [none, 'NO_APPROPRIATION'],
        ]),
      );
    });

    // Redelivery of the same event and a new event for the same submission: no second answer.
    await publish(PayrollSubmittedV1, novEnvelope);
    await publish(PayrollSubmittedV1, envelopeOf(PayrollSubmittedV1, submitted(nov, novSubmission, '2026-11', '500000'), nov));
    const marker = randomUUID();
    await publish(
      PayrollSubmittedV1,
      envelopeOf(PayrollSubmittedV1, { ...submitted(marker, randomUUID(), '2026-12', '1'), regions: [] }, marker),
    );
    await expectEventually(() =>
      expect(
        probe
          .envelopes<PayloadOf<typeof FundsReservedV1>>(env.topicPrefix + FundsReservedV1.topic)
          .some((x) => x.payload.payrollId === marker),
      ).toBe(true),
    );
    expect(
      probe
        .envelopes<PayloadOf<typeof FundsReservedV1>>(env.topicPrefix + FundsReservedV1.topic)
        .filter((x) => x.payload.payrollId === nov),
    ).toHaveLength(1);
  });

  it('reports plan vs committed vs reserved vs paid by programme, holder, region and month after payments settle', async () => {
    const settled: PayloadOf<typeof PaymentSettledV1> = {
      paymentId: randomUUID(),
      assignmentId: a1,
      recipientPersonId: randomUUID(),
      programmeCode: PROGRAMME,
      month: '2026-11',
      amountKopiyky: '200000',
      settledOn: '2026-12-04',
    };
    await publish(PaymentSettledV1, envelopeOf(PaymentSettledV1, settled, a1));
    await expectEventually(async () =>
      expect((await sql.query(`SELECT region FROM e_budget.paid WHERE payment_id = $1`, [settled.paymentId])).rows[0]?.region).toBe('UA80'),
    );

    const byRegion = await app.http().get('/reports/execution').query({ year: '2026', groupBy: 'region' }).set('authorization', officer);
    expect(byRegion.status).toBe(200);
    expect(byRegion.body).toEqual([
      // a reservation without a regional breakdown stays national (UA)
      { key: 'UA', planKopiyky: '0', committedKopiyky: '0', reservedKopiyky: '1', paidKopiyky: '0' },
      { key: 'UA46', planKopiyky: '700000', committedKopiyky: '600000', reservedKopiyky: '300000', paidKopiyky: '0' },
      { key: 'UA80', planKopiyky: '1500000', committedKopiyky: '400000', reservedKopiyky: '200000', paidKopiyky: '200000' },
    ]);
    const byHolder = await app.http().get('/reports/execution').query({ year: '2026', groupBy: 'holder' }).set('authorization', officer);
    expect(byHolder.body).toEqual([
      { key: 'minsotspolityky', planKopiyky: '2200000', committedKopiyky: '1000000', reservedKopiyky: '500001', paidKopiyky: '200000' },
    ]);
    const byMonth = await app
      .http()
      .get('/reports/execution')
      .query({ year: '2026', groupBy: 'month', programmeCode: PROGRAMME })
      .set('authorization', officer);
    expect(byMonth.body.map((r: { key: string; planKopiyky: string }) => [r.key, r.planKopiyky])).toEqual([
      ['2026-11', '800000'],
      ['2026-12', '1400000'],
    ]);
    const lvivOnly = await app
      .http()
      .get('/reports/execution')
      .query({ year: '2026', groupBy: 'region' })
      .set('authorization', lvivOfficer);
    expect(lvivOnly.body.map((r: { key: string }) => r.key)).toEqual(['UA46']);
    const bad = await app.http().get('/reports/execution').query({ year: '2026', groupBy: 'colour' }).set('authorization', officer);
    expect(bad.status).toBe(400);
  });

  it('forecasts the need of the next 12 months from active assignments and their end dates', async () => {
    const res = await app
      .http()
      .get('/reports/forecast')
      .query({ from: '2027-01', programmeCode: PROGRAMME })
      .set('authorization', officer);
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(12);
    // a1 runs to 2027-04 (200000 each); a2 was terminated from 2027-01; the 2027-06 marker commits 1 kopiyka.
    expect(
      res.body.slice(0, 6).map((r: { month: string; needKopiyky: string; assignments: number }) => [r.month, r.needKopiyky, r.assignments]),
    ).toEqual([
      ['2027-01', '200000', 1],
      ['2027-02', '200000', 1],
      ['2027-03', '200000', 1],
      ['2027-04', '200000', 1],
      ['2027-05', '0', 0],
      ['2027-06', '1', 1],
    ]);
    expect(res.body[0]).toMatchObject({ planKopiyky: '2000000', gapKopiyky: '-1800000' });
  });

  it('documents every e-budget route in the OpenAPI document', async () => {
    const doc = await app.http().get('/docs-json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        '/budget-holders',
        '/programmes',
        '/programmes/{code}',
        '/appropriations',
        '/appropriations/import',
        '/reports/execution',
        '/reports/forecast',
      ]),
    );
  });

  it('refuses budget routes to a treasurer for writes and to anonymous callers', async () => {
    const treasurer = `Bearer ${tokenFor({ roles: [Role.Treasurer], territory: 'UA' })}`;
    expect(
      (
        await app
          .http()
          .put('/appropriations')
          .set('authorization', treasurer)
          .send({ programmeCode: PROGRAMME, region: 'UA80', month: '2026-12', amountKopiyky: '1' })
      ).status,
    ).toBe(403);
    expect((await app.http().get('/programmes')).status).toBe(401);
  });
});
