import {
  AssignmentChangedV2,
  AssignmentGrantedV2,
  AssignmentTerminatedV2,
  EmploymentCentreRegistrationChangedV1,
  EmploymentRecordedV1,
  IncomeReportedV1,
  type PayloadOf,
  Role,
} from '@eisss/contracts';
import { expectEventually, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { ProcessingHarness, tokens } from './processing-harness';

type AssignmentPayload = PayloadOf<typeof AssignmentChangedV2>;
const system = tokenFor({ id: 'employment-job', roles: [Role.System], territory: 'UA' });
const citizen = tokenFor({ id: 'citizen-1', roles: [Role.Citizen], territory: 'UA' });

/**
 * The employment duty and the 7th payment of the IDP allowance: employment-centre and tax facts consumed into
 * processing's projection (published as the registers publish them), then POST /assignments/employment-check
 * applies stops, restorations and the extra amount as new assignment versions, once.
 */
describe('social-processing: employment duty and the 7th payment', () => {
  let h: ProcessingHarness;

  beforeAll(async () => {
    h = await ProcessingHarness.start([AssignmentGrantedV2, AssignmentChangedV2, AssignmentTerminatedV2]);
  });

  afterAll(async () => {
    await h?.close();
  });

  /** An IDP family (an adult born 1985 and a child) applying on 2026-03-10: 5 000 UAH a month for 2026-03..2026-08. */
  async function family(): Promise<{ adult: string; child: string; assignmentId: string }> {
    const adult = await h.idpPerson('1985-04-10');
    const child = await h.idpPerson('2015-06-01');
    const res = await h.submit(
      h.application(adult, {
        household: {
          members: [
            { personId: adult, role: 'applicant', relation: 'self' },
            { personId: child, role: 'member', relation: 'child' },
          ],
        },
      }),
    );
    expect(res.status).toBe(201);
    await h.passVerification(res.body.id);
    await h.decideByTwo(res.body.id);
    const granted = await expectEventually(
      () => {
        const e = h.published(AssignmentGrantedV2, (x) => x.payload.assignment.applicationId === res.body.id)[0];
        expect(e).toBeDefined();
        return e!;
      },
      { timeoutMs: 20000 },
    );
    return { adult, child, assignmentId: granted.payload.assignment.assignmentId };
  }

  const check = (on: string, token = system) =>
    h.http().post(`/assignments/employment-check?on=${on}`).set('authorization', `Bearer ${token}`).send();
  const versions = async (id: string) =>
    (
      await h.sql.query(
        `SELECT version, event_type, reason, differences FROM social_processing.assignment_version WHERE assignment_id = $1 ORDER BY version`,
        [id],
      )
    ).rows;
  const published = (assignmentId: string, version: number) =>
    expectEventually(
      () => {
        const e = h.published(
          AssignmentChangedV2,
          (x) => x.payload.assignment.assignmentId === assignmentId && x.payload.assignment.version === version,
        )[0];
        expect(e).toBeDefined();
        return e!.payload as AssignmentPayload;
      },
      { timeoutMs: 20000 },
    );
  const factRows = async (personId: string) =>
    (
      await h.sql.query(
        `SELECT source, record_id, kind, to_char(effective_on, 'YYYY-MM-DD') AS on FROM social_processing.employment_fact WHERE person_id = $1 ORDER BY record_id`,
        [personId],
      )
    ).rows;
  const registered = (personId: string, effectiveOn: string, recordId = `dcz-${randomUUID()}`) =>
    h.publish(
      EmploymentCentreRegistrationChangedV1,
      { recordId, personId, change: 'registered', registrationKind: 'unemployed', effectiveOn, centreCode: 'kyiv-01' },
      personId,
    );
  const employed = (
    personId: string,
    effectiveOn: string,
    kind: 'employment-started' | 'employment-ended' | 'sole-proprietor-registered' = 'employment-started',
    recordId = `dps-${randomUUID()}`,
  ) =>
    h.publish(
      EmploymentRecordedV1,
      { recordId, personId, kind, effectiveOn, employerCode: kind === 'sole-proprietor-registered' ? null : '12345678' },
      personId,
    );

  it('consumes employment-centre, employment and income facts into the projection; a corrected record replaces its row', async () => {
    const personId = randomUUID();
    const recordId = `dcz-${randomUUID()}`;
    await registered(personId, '2026-05-01', recordId);
    await employed(personId, '2026-07-01', 'sole-proprietor-registered', 'dps-fop-1');
    await h.publish(
      IncomeReportedV1,
      { reportId: `r-${personId}`, personId, month: '2026-06', incomeKind: 'military', amountKopiyky: '5000000', payerCode: null },
      personId,
    );
    await expectEventually(async () => expect(await factRows(personId)).toHaveLength(2), { timeoutMs: 20000 });
    await registered(personId, '2026-05-04', recordId); // corrected date, same record
    await expectEventually(async () => expect((await factRows(personId)).find((r) => r.record_id === recordId)?.on).toBe('2026-05-04'), {
      timeoutMs: 20000,
    });
    expect(await factRows(personId)).toEqual([
      { source: 'employment-centre', record_id: recordId, kind: 'registered', on: '2026-05-04' },
      { source: 'tax', record_id: 'dps-fop-1', kind: 'sole-proprietor-registered', on: '2026-07-01' },
    ]);
    await expectEventually(
      async () => {
        const r = await h.sql.query(
          `SELECT month, income_kind, amount_kopiyky::text AS a FROM social_processing.income_fact WHERE person_id = $1`,
          [personId],
        );
        expect(r.rows).toEqual([{ month: '2026-06', income_kind: 'military', a: '5000000' }]);
      },
      { timeoutMs: 20000 },
    );
  });

  it('stops the share of an unemployed adult the day after the 3 months, from the next month; once; restores it from the month of registration within the term', async () => {
    const { adult, child, assignmentId } = await family();
    // A job of the child's is no step for the adult; the deadline day itself changes nothing.
    expect((await check('2026-06-10')).body.items.filter((i: { assignmentId: string }) => i.assignmentId === assignmentId)).toEqual([]);
    expect(await versions(assignmentId)).toHaveLength(1);

    const res = await check('2026-06-11');
    expect(res.status).toBe(200);
    const item = res.body.items.find((i: { assignmentId: string }) => i.assignmentId === assignmentId);
    expect(item).toMatchObject({
      version: 2,
      outcome: 'changed',
      changes: [{ personId: adult, change: 'stop', fromMonth: '2026-07', deadline: '2026-06-10', termStart: '2026-03-10' }],
    });
    const stopped = await published(assignmentId, 2);
    expect(stopped.reason!.code).toBe('EMPLOYMENT_DUTY_STOP');
    expect(stopped.reason!.text).toContain('№ 332');
    expect(stopped.effectiveFrom).toBe('2026-07');
    expect(stopped.differences).toEqual(
      ['2026-07', '2026-08'].map((month) => ({ month, previousKopiyky: '500000', newKopiyky: '300000', differenceKopiyky: '-200000' })),
    );
    expect(stopped.assignment.months[4]!.explanation).toContain('no step into employment by 2026-06-10');

    // Idempotent: the same day again, and a later day with no new facts, change nothing.
    expect((await check('2026-06-11')).body.items.some((i: { assignmentId: string }) => i.assignmentId === assignmentId)).toBe(false);
    expect((await check('2026-07-20')).body.items.some((i: { assignmentId: string }) => i.assignmentId === assignmentId)).toBe(false);
    expect(await versions(assignmentId)).toHaveLength(2);

    const ev = await registered(adult, '2026-08-03');
    await expectEventually(
      async () =>
        expect((await h.sql.query(`SELECT 1 FROM social_processing.employment_fact WHERE event_id = $1`, [ev.eventId])).rowCount).toBe(1),
      { timeoutMs: 20000 },
    );
    const after = await check('2026-08-05');
    expect(after.body.items.find((i: { assignmentId: string }) => i.assignmentId === assignmentId)).toMatchObject({
      version: 3,
      changes: [{ personId: adult, change: 'restored', fromMonth: '2026-08' }],
    });
    const restored = await published(assignmentId, 3);
    expect(restored.reason!.code).toBe('EMPLOYMENT_DUTY_RESTORED');
    expect(restored.differences).toEqual([
      { month: '2026-08', previousKopiyky: '300000', newKopiyky: '500000', differenceKopiyky: '200000' },
    ]);
    expect(restored.assignment.months.map((m) => m.amountKopiyky)).toEqual(['500000', '500000', '500000', '500000', '300000', '500000']);
    expect((await check('2026-08-05')).body.items.some((i: { assignmentId: string }) => i.assignmentId === assignmentId)).toBe(false);
    expect(child).toBeDefined();

    const audit = await h.sql.query(
      `SELECT count(*)::int AS n FROM social_processing_audit.audit_log WHERE action = 'employment-check' AND subject_id = $1`,
      [assignmentId],
    );
    expect(audit.rows[0].n).toBe(2);
  });

  it('an adult registered at the employment centre within the 3 months keeps the share', async () => {
    const { adult, assignmentId } = await family();
    const ev = await registered(adult, '2026-06-10');
    await expectEventually(
      async () =>
        expect((await h.sql.query(`SELECT 1 FROM social_processing.employment_fact WHERE event_id = $1`, [ev.eventId])).rowCount).toBe(1),
      { timeoutMs: 20000 },
    );
    const res = await check('2026-06-20');
    expect(res.body.items.some((i: { assignmentId: string }) => i.assignmentId === assignmentId)).toBe(false);
    expect(await versions(assignmentId)).toHaveLength(1);
  });

  it('grants the 7th payment once to an adult employed through the whole term, as a positive difference in its last month', async () => {
    const { adult, assignmentId } = await family();
    const ev = await employed(adult, '2025-01-15');
    await expectEventually(
      async () =>
        expect((await h.sql.query(`SELECT 1 FROM social_processing.employment_fact WHERE event_id = $1`, [ev.eventId])).rowCount).toBe(1),
      { timeoutMs: 20000 },
    );
    expect((await check('2026-08-31')).body.items.some((i: { assignmentId: string }) => i.assignmentId === assignmentId)).toBe(false);
    const res = await check('2026-09-01');
    expect(res.body.items.find((i: { assignmentId: string }) => i.assignmentId === assignmentId)).toMatchObject({
      version: 2,
      changes: [{ personId: adult, change: 'seventh-payment', fromMonth: '2026-08', amountKopiyky: '200000' }],
    });
    const paid = await published(assignmentId, 2);
    expect(paid.reason!.code).toBe('IDP_SEVENTH_PAYMENT');
    expect(paid.differences).toEqual([{ month: '2026-08', previousKopiyky: '500000', newKopiyky: '700000', differenceKopiyky: '200000' }]);
    expect((await check('2026-09-02')).body.items.some((i: { assignmentId: string }) => i.assignmentId === assignmentId)).toBe(false);
    expect(await versions(assignmentId)).toHaveLength(2);
  });

  it.each([
    ['a date in the future', `/assignments/employment-check?on=2999-01-01`, system, 422, 'CHECK_DATE_IN_FUTURE'],
    ['not a date', `/assignments/employment-check?on=2026-13-01`, system, 400, 'VALIDATION_FAILED'],
    ['a citizen', `/assignments/employment-check?on=2026-06-11`, citizen, 403, undefined],
  ])('refuses %s', async (_n, url, token, status, code) => {
    const before = (await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.assignment_version`)).rows[0].n;
    const res = await h.http().post(url).set('authorization', `Bearer ${token}`).send();
    expect(res.status).toBe(status);
    if (code) expect(res.body.error.code).toBe(code);
    expect((await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.assignment_version`)).rows[0].n).toBe(before);
  });

  it('an officer checks only the assignments of their territory', async () => {
    const other = tokenFor({ id: 'officer-lviv', roles: [Role.Officer], territory: 'UA46' });
    const res = await check('2026-06-11', other);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ checked: 0, changed: 0 });
    expect((await check('2026-06-11', tokens.officer)).status).toBe(200);
  });
});
