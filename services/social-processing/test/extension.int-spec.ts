import {
  AssignmentChangedV2,
  AssignmentGrantedV2,
  AssignmentTerminatedV2,
  IncomeReportedV1,
  StatusGrantedV1,
  Role,
} from '@eisss/contracts';
import { expectEventually, tokenFor } from '@eisss/testing';
import { randomUUID } from 'node:crypto';
import { KATOTTG, ProcessingHarness, tokens } from './processing-harness';

const system = tokenFor({ id: 'extension-job', roles: [Role.System], territory: 'UA' });

/**
 * Extension with current facts: the income test reads the tax service's income facts of the last 3 months
 * (published as the tax service publishes them; one-off and military pay not counted), not the application;
 * after an automatic extension the check within a month stops the assignment from the next month.
 */
describe('social-processing: extension with current facts', () => {
  let h: ProcessingHarness;

  beforeAll(async () => {
    h = await ProcessingHarness.start([AssignmentGrantedV2, AssignmentChangedV2, AssignmentTerminatedV2]);
  });

  afterAll(async () => {
    await h?.close();
  });

  async function family(childStatus?: string): Promise<{ adult: string; child: string; assignmentId: string }> {
    const adult = await h.idpPerson('1985-04-10');
    const child = await h.idpPerson('2015-06-01');
    if (childStatus) {
      await h.publish(
        StatusGrantedV1,
        {
          statusId: randomUUID(),
          personId: child,
          type: childStatus as 'child_with_disability',
          validFrom: '2020-01-01',
          validTo: null,
          source: 'test',
          katottg: KATOTTG,
          details: {},
        },
        child,
      );
      await expectEventually(
        async () =>
          expect(
            (await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.person_status WHERE person_id = $1`, [child])).rows[0].n,
          ).toBe(2),
        { timeoutMs: 20000 },
      );
    }
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

  /** Income lines of a person for 2026-06..2026-08, waited for in the projection. */
  async function income(personId: string, kind: 'salary' | 'military' | 'one-off', monthly: string): Promise<void> {
    for (const month of ['2026-06', '2026-07', '2026-08'])
      await h.publish(
        IncomeReportedV1,
        { reportId: `r-${personId}-${kind}-${month}`, personId, month, incomeKind: kind, amountKopiyky: monthly, payerCode: '12345678' },
        personId,
      );
    await expectEventually(
      async () =>
        expect(
          (
            await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.income_fact WHERE person_id = $1 AND income_kind = $2`, [
              personId,
              kind,
            ])
          ).rows[0].n,
        ).toBe(3),
      { timeoutMs: 20000 },
    );
  }

  const extend = (id: string, token = system) =>
    h.http().post(`/assignments/${id}/extension-with-current-facts`).set('authorization', `Bearer ${token}`).send();

  it.each<[string, 'salary' | 'military' | 'one-off', string, number]>([
    // a family of 2: 4 × 2 595 UAH = 10 380 UAH per person a month → 20 760 UAH a month for the family is at the bar
    ['salary at the bar (20 760 UAH a month for two persons) extends', 'salary', '2076000', 200],
    ['salary one kopiyka a month above the bar refuses', 'salary', '2076003', 422],
    ['military pay, however high, is not counted: extends', 'military', '9000000', 200],
    ['one-off payments are not counted: extends', 'one-off', '9000000', 200],
  ])('%s', async (_n, kind, monthly, status) => {
    const { adult, assignmentId } = await family();
    await income(adult, kind, monthly);
    const res = await extend(assignmentId);
    expect(res.status).toBe(status);
    const a = await h.sql.query(
      `SELECT period_to, version, facts->>'averageMonthlyIncomePerPersonKopiyky' AS avg, facts->'incomeFromFacts'->'months' AS months FROM social_processing.assignment WHERE id = $1`,
      [assignmentId],
    );
    expect(a.rows[0].months).toEqual(['2026-06', '2026-07', '2026-08']);
    if (status === 200) {
      expect(res.body).toMatchObject({ periodTo: '2027-02', version: 2 });
      const changed = await expectEventually(
        () => {
          const e = h.published(
            AssignmentChangedV2,
            (x) => x.payload.assignment.assignmentId === assignmentId && x.payload.assignment.version === 2,
          )[0];
          expect(e).toBeDefined();
          return e!.payload;
        },
        { timeoutMs: 20000 },
      );
      expect(changed.reason!.code).toBe('EXTENDED');
    } else {
      expect(res.body.error.code).toBe('EXTENSION_NOT_ELIGIBLE');
      expect(a.rows[0]).toMatchObject({ period_to: '2026-08', version: 1, avg: String(BigInt(monthly) / 2n) });
    }
  });

  it("a person's extension with current facts waits for a second person", async () => {
    const { assignmentId } = await family();
    const res = await extend(assignmentId, tokens.officer);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ action: 'assignment.extend', status: 'pending' });
  });

  it('after an automatic extension, a failed income check stops the assignment from the month after the extension, once', async () => {
    const { adult, assignmentId } = await family('child_with_disability');
    const ext = await extend(assignmentId);
    expect(ext.status).toBe(200);
    expect(ext.body.periodTo).toBe('2027-02');
    // The tax service reports more income after the extension (the check reads the facts as they are now).
    await income(adult, 'salary', '5000000');
    const res = await h.http().post('/assignments/extension-check?on=2026-09-15').set('authorization', `Bearer ${system}`).send();
    expect(res.status).toBe(200);
    expect(res.body.items.find((i: { assignmentId: string }) => i.assignmentId === assignmentId)).toMatchObject({
      extendedFrom: '2026-09',
      passed: false,
      outcome: 'terminated',
      averageMonthlyIncomePerPersonKopiyky: '2500000',
    });
    const terminated = await expectEventually(
      () => {
        const e = h.published(AssignmentTerminatedV2, (x) => x.payload.assignment.assignmentId === assignmentId)[0];
        expect(e).toBeDefined();
        return e!.payload;
      },
      { timeoutMs: 20000 },
    );
    expect(terminated.reason!.code).toBe('EXTENSION_CHECK_FAILED');
    expect(terminated.effectiveFrom).toBe('2026-10');
    expect(terminated.assignment.periodTo).toBe('2026-09');
    const again = await h.http().post('/assignments/extension-check?on=2026-09-20').set('authorization', `Bearer ${system}`).send();
    expect(again.body.items.some((i: { assignmentId: string }) => i.assignmentId === assignmentId)).toBe(false);
  });

  it('a passed check after an automatic extension changes no month and is done once', async () => {
    const { assignmentId } = await family('child_with_disability');
    expect((await extend(assignmentId)).status).toBe(200);
    const res = await h.http().post('/assignments/extension-check?on=2026-09-15').set('authorization', `Bearer ${system}`).send();
    expect(res.body.items.find((i: { assignmentId: string }) => i.assignmentId === assignmentId)).toMatchObject({
      passed: true,
      outcome: 'unchanged',
    });
    const v = await h.sql.query(`SELECT count(*)::int AS n FROM social_processing.assignment_version WHERE assignment_id = $1`, [
      assignmentId,
    ]);
    expect(v.rows[0].n).toBe(2);
    const again = await h.http().post('/assignments/extension-check?on=2026-09-16').set('authorization', `Bearer ${system}`).send();
    expect(again.body.items.some((i: { assignmentId: string }) => i.assignmentId === assignmentId)).toBe(false);
  });
});
