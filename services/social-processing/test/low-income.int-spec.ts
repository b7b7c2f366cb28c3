import { AssignmentGrantedV2 } from '@eisss/contracts';
import { expectEventually } from '@eisss/testing';
import { ProcessingHarness, tokens } from './processing-harness';

/** The third programme through the same API: POST /applications with programmeCodes ['low-income-family']. */
describe('social-processing low-income family assistance', () => {
  let h: ProcessingHarness;

  beforeAll(async () => {
    h = await ProcessingHarness.start([AssignmentGrantedV2]);
  });

  afterAll(async () => {
    await h?.close();
  });

  const decided = async (perPersonIncome: string) => {
    const applicant = await h.idpPerson('1985-04-10');
    const child = await h.idpPerson('2016-01-01');
    const res = await h.submit(
      h.application(applicant, {
        programmeCodes: ['low-income-family'],
        averageMonthlyIncomePerPersonKopiyky: perPersonIncome,
        household: {
          members: [
            { personId: applicant, role: 'applicant', relation: 'self' },
            { personId: child, role: 'member', relation: 'child' },
          ],
        },
      }),
    );
    expect(res.status).toBe(201);
    await h.passVerification(res.body.id);
    await expectEventually(async () => expect((await h.getApplication(res.body.id)).decisions[0].status).toBe('awaiting_officer'), {
      timeoutMs: 15000,
    });
    return { id: res.body.id as string, applicant, child };
  };

  it('grants the guaranteed level minus the family income for six months, with the explanation tree', async () => {
    // 2026: able-bodied 60 % × 3 328 = 1 996.80; child 6–18 145 % × 3 512 = 5 092.40; level 7 089.20; income 2 × 1 500 = 3 000 → 4 089.20 UAH.
    const { id, applicant } = await decided('150000');
    const proposed = await h
      .http()
      .post(`/applications/${id}/decisions/low-income-family/proposal`)
      .set('authorization', `Bearer ${tokens.officer}`)
      .send({ outcome: 'granted' });
    expect(proposed.status).toBe(200);
    const approved = await h
      .http()
      .post(`/applications/${id}/decisions/low-income-family/approval`)
      .set('authorization', `Bearer ${tokens.supervisor}`)
      .send({ approve: true });
    expect(approved.status).toBe(200);
    const view = await h.getApplication(id);
    const d = view.decisions[0];
    expect(d).toMatchObject({
      programmeCode: 'low-income-family',
      status: 'granted',
      ruleSetVersion: 'low-income-family@2025-01-01',
      decidedBy: 'officer-1',
      approvedBy: 'supervisor-1',
    });
    expect(d.months).toHaveLength(6);
    expect(d.months[0]).toMatchObject({ month: '2026-03', amountKopiyky: '408920' });
    expect(d.months.at(-1)).toMatchObject({ month: '2026-08', amountKopiyky: '408920' });
    const rules = d.explanation.children[1];
    expect(rules.rule).toBe('low-income');
    const level = rules.children.find((c: { rule: string }) => c.rule === 'low-income.guaranteed-level');
    expect(level).toMatchObject({ amountKopiyky: '708920', period: '2026-03' });
    expect(level.children.map((c: { facts: { category: string } }) => c.facts.category)).toEqual(['able-bodied', 'child-6-18']);
    expect(rules.children.find((c: { rule: string }) => c.rule === 'low-income.amount')).toMatchObject({
      amountKopiyky: '408920',
      facts: { levelKopiyky: '708920', incomeKopiyky: '300000' },
    });
    const granted = await expectEventually(
      () => {
        const e = h.published(AssignmentGrantedV2, (x) => x.payload.assignment.applicationId === id);
        expect(e).toHaveLength(1);
        return e[0]!;
      },
      { timeoutMs: 15000 },
    );
    expect(granted.payload.assignment).toMatchObject({
      programmeCode: 'low-income-family',
      recipientPersonId: applicant,
      periodFrom: '2026-03',
      periodTo: '2026-08',
    });
    const programmes = await h.http().get('/programmes').set('authorization', `Bearer ${tokens.officer}`);
    expect(programmes.body.find((p: { code: string }) => p.code === 'low-income-family').ruleSets[0].sourceNotes.length).toBeGreaterThan(0);
  });

  it('refuses when the family income is at the guaranteed level (nothing to pay), with the reason', async () => {
    const { id } = await decided('354460'); // 2 × 3 544.60 = 7 089.20 = the level
    const view = await h.getApplication(id);
    const rules = view.decisions[0].explanation.children[1];
    expect(rules.outcome).toBe('failed');
    expect(rules.children.find((c: { rule: string }) => c.rule === 'low-income.amount')).toMatchObject({
      outcome: 'failed',
      amountKopiyky: '0',
      facts: { differenceKopiyky: '0' },
    });
    const granting = await h
      .http()
      .post(`/applications/${id}/decisions/low-income-family/proposal`)
      .set('authorization', `Bearer ${tokens.officer}`)
      .send({ outcome: 'granted' });
    expect(granting.status).toBe(422);
    expect(granting.body.error.details.reasons.map((r: { code: string }) => r.code)).toEqual(['INCOME_NOT_BELOW_GUARANTEED_LEVEL']);
  });
});
