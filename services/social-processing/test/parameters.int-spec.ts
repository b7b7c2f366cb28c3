import { AssignmentChangedV2, AssignmentGrantedV2 } from '@eisss/contracts';
import { expectEventually } from '@eisss/testing';
import { PARAMETER_SEED } from '../src/migrations/1763900000900-parameters';
import { ProcessingHarness, tokens } from './processing-harness';

/**
 * Parameters as data: the seeded table gives the rules the values the code held; a new row is asked by
 * one national supervisor and inserted only on another's approval, which recalculates open assignments.
 */
describe('social-processing parameters', () => {
  let h: ProcessingHarness;
  let assignmentId: string;
  let requestId: string;
  const KEY = 'low-income.level.able-bodied.percent';
  const body = {
    key: KEY,
    value: '70',
    effectiveFrom: '2026-06-01',
    legalSource: 'Закон про внесення змін до Закону про Державний бюджет України на 2026 рік (test)',
    reason: 'рівень забезпечення підвищено',
  };
  const add = (token: string, over: Record<string, unknown> = {}) =>
    h
      .http()
      .post('/parameters')
      .set('authorization', `Bearer ${token}`)
      .send({ ...body, ...over });
  const rowsOf = async (key: string) =>
    (
      await h.sql.query(
        `SELECT value::text AS value, effective_from::text AS "from", requested_by, approved_by FROM social_processing.parameter WHERE key = $1 ORDER BY seq`,
        [key],
      )
    ).rows;

  beforeAll(async () => {
    h = await ProcessingHarness.start([AssignmentGrantedV2, AssignmentChangedV2]);
  });

  afterAll(async () => {
    await h?.close();
  });

  it('holds the seeded values with their dates and legal sources, the same the IDP and birth rules had in code', async () => {
    const all = await h.http().get('/parameters').query({ limit: 500, on: '2026-06-01' }).set('authorization', `Bearer ${tokens.officer}`);
    expect(all.status).toBe(200);
    const seeded = all.body.items
      .map(
        (r: { key: string; effectiveFrom: string; value: string; legalSource: string }) =>
          `${r.key}@${r.effectiveFrom}=${r.value} ${r.legalSource}`,
      )
      .sort();
    expect(seeded).toEqual(expect.arrayContaining(PARAMETER_SEED.map((r) => `${r.key}@${r.from}=${r.value} ${r.source}`)));
    expect(all.body.items.find((r: { key: string }) => r.key === 'idp.amount.other')).toMatchObject({
      value: '200000',
      effectiveFrom: '2022-03-20',
      inForce: true,
      approvedBy: null,
    });
    const one = await h
      .http()
      .get('/parameters')
      .query({ key: 'subsistence-minimum.able-bodied', on: '2025-12-31' })
      .set('authorization', `Bearer ${tokens.officer}`);
    expect(
      one.body.items.map((r: { effectiveFrom: string; value: string; inForce: boolean }) => [r.effectiveFrom, r.value, r.inForce]),
    ).toEqual([
      ['2025-01-01', '302800', true],
      ['2026-01-01', '332800', false],
    ]);
  });

  it('grants an open low-income assignment with the seeded percentages (2026: 60 %)', async () => {
    const applicant = await h.idpPerson('1985-04-10');
    const res = await h.submit(
      h.application(applicant, { programmeCodes: ['low-income-family'], averageMonthlyIncomePerPersonKopiyky: '100000' }),
    );
    expect(res.status).toBe(201);
    await h.passVerification(res.body.id);
    await expectEventually(async () => expect((await h.getApplication(res.body.id)).decisions[0].status).toBe('awaiting_officer'), {
      timeoutMs: 15000,
    });
    expect(
      (
        await h
          .http()
          .post(`/applications/${res.body.id}/decisions/low-income-family/proposal`)
          .set('authorization', `Bearer ${tokens.officer}`)
          .send({ outcome: 'granted' })
      ).status,
    ).toBe(200);
    expect(
      (
        await h
          .http()
          .post(`/applications/${res.body.id}/decisions/low-income-family/approval`)
          .set('authorization', `Bearer ${tokens.supervisor}`)
          .send({ approve: true })
      ).status,
    ).toBe(200);
    const view = await h.getApplication(res.body.id);
    assignmentId = view.decisions[0].assignmentId;
    expect(view.decisions[0].months.map((m: { amountKopiyky: string }) => m.amountKopiyky)).toEqual(Array(6).fill('99680')); // 1 996.80 − 1 000.00
  });

  it('refuses a regional supervisor, an officer, an unknown key and a malformed value, writing nothing', async () => {
    const regional = await add(tokens.supervisor);
    expect(regional.status).toBe(403);
    expect(regional.body.error.code).toBe('NATIONAL_SCOPE_REQUIRED');
    expect((await add(tokens.officer)).status).toBe(403);
    const unknown = await add(tokens.national, { key: 'free.money' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'PARAMETER_KEY_UNKNOWN', field: 'key' });
    const fraction = await add(tokens.national, { value: '60.5' });
    expect(fraction.status).toBe(400);
    expect(fraction.body.error.field).toBe('value');
    expect(
      (await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.dual_control_request WHERE action = 'parameter.add'`)).rows[0].n,
    ).toBe(0);
  });

  it("makes a national supervisor's row only a request (202); a second request for the key and date is a 409", async () => {
    const res = await add(tokens.national);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      action: 'parameter.add',
      subjectType: 'parameter',
      subjectId: `${KEY}@2026-06-01`,
      status: 'pending',
      requestedBy: 'national-1',
      katottg: null,
      payload: { key: KEY, value: '70' },
    });
    requestId = res.body.id;
    const again = await add(tokens.national2);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DUAL_CONTROL_ALREADY_PENDING');
    expect(await rowsOf(KEY)).toHaveLength(2);
  });

  it('refuses the approval by the same person and by a regional supervisor: no row, no new version', async () => {
    const self = await h.approve(requestId, tokens.national);
    expect(self.status).toBe(403);
    expect(self.body.error.code).toBe('SECOND_PERSON_REQUIRED');
    expect((await h.approve(requestId, tokens.supervisor)).status).toBe(404);
    expect(await rowsOf(KEY)).toHaveLength(2);
    const a = await h.http().get(`/assignments/${assignmentId}`).set('authorization', `Bearer ${tokens.officer}`);
    expect(a.body.version).toBe(1);
  });

  it("inserts the row on another national supervisor's approval and recalculates the open assignment with the per-month differences", async () => {
    const res = await h.approve(requestId, tokens.national2);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'executed',
      requestedBy: 'national-1',
      decidedBy: 'national-2',
      result: { key: KEY, value: '70', effectiveFrom: '2026-06-01' },
    });
    expect(res.body.result.recalculation).toEqual([
      { programmeCode: 'low-income-family', checked: 1, changed: 1, terminated: 0, unchanged: 0 },
    ]);
    expect((await rowsOf(KEY)).at(-1)).toEqual({ value: '70', from: '2026-06-01', requested_by: 'national-1', approved_by: 'national-2' });
    // 70 % × 3 328 = 2 329.60 − 1 000.00 = 1 329.60 from June: +332.80 a month.
    const a = await h.http().get(`/assignments/${assignmentId}`).set('authorization', `Bearer ${tokens.officer}`);
    expect(a.body.version).toBe(2);
    expect(a.body.months.map((m: { amountKopiyky: string }) => m.amountKopiyky)).toEqual([
      '99680',
      '99680',
      '99680',
      '132960',
      '132960',
      '132960',
    ]);
    expect(a.body.versions.at(-1)).toMatchObject({
      createdBy: 'national-1',
      approvedBy: 'national-2',
      reason: { code: 'PARAMETER_CHANGED' },
    });
    expect(a.body.explanation.children.some((c: { rule: string }) => c.rule === 'parameter.changed')).toBe(true);
    const [changed] = await h.outbox(AssignmentChangedV2, assignmentId);
    expect(changed!.effectiveFrom).toBe('2026-06');
    expect(changed!.differences).toEqual(
      ['2026-06', '2026-07', '2026-08'].map((month) => ({
        month,
        previousKopiyky: '99680',
        newKopiyky: '132960',
        differenceKopiyky: '33280',
      })),
    );
    const audit = (
      await h.sql.query(
        `SELECT actor_id, action FROM social_processing_audit.audit_log WHERE action IN ('requested:parameter.add', 'parameter.added', 'approved:parameter.add') ORDER BY id`,
      )
    ).rows;
    expect(audit).toEqual([
      { actor_id: 'national-1', action: 'requested:parameter.add' },
      { actor_id: 'national-2', action: 'parameter.added' },
      { actor_id: 'national-2', action: 'approved:parameter.add' },
    ]);
  });

  it('lists the new row as in force from its date and decides new applications with it (the cache was refreshed)', async () => {
    const list = await h.http().get('/parameters').query({ key: KEY, on: '2026-06-15' }).set('authorization', `Bearer ${tokens.officer}`);
    expect(
      list.body.items.map((r: { effectiveFrom: string; value: string; inForce: boolean }) => [r.effectiveFrom, r.value, r.inForce]),
    ).toEqual([
      ['2025-01-01', '55', false],
      ['2026-01-01', '60', false],
      ['2026-06-01', '70', true],
    ]);
    const applicant = await h.idpPerson('1985-04-10');
    const res = await h.submit(
      h.application(applicant, { programmeCodes: ['low-income-family'], averageMonthlyIncomePerPersonKopiyky: '100000' }),
    );
    await h.passVerification(res.body.id);
    const view = await expectEventually(
      async () => {
        const v = await h.getApplication(res.body.id);
        expect(v.decisions[0].status).toBe('awaiting_officer');
        return v;
      },
      { timeoutMs: 15000 },
    );
    expect(view.decisions[0].months.map((m: { amountKopiyky: string }) => m.amountKopiyky)).toEqual([
      '99680',
      '99680',
      '99680',
      '132960',
      '132960',
      '132960',
    ]);
  });

  it('never updates or deletes a row: a correction is a new row', async () => {
    await expect(h.sql.query(`UPDATE social_processing.parameter SET value = 1 WHERE key = $1`, [KEY])).rejects.toThrow(
      /never updated or deleted/,
    );
    await expect(h.sql.query(`DELETE FROM social_processing.parameter WHERE key = $1`, [KEY])).rejects.toThrow(/never updated or deleted/);
    expect(await rowsOf(KEY)).toHaveLength(3);
  });
});
