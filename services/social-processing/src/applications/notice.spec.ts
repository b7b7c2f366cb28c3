import { toStoredMonths } from '../assignments/recalculation';
import { evaluateProgramme } from '../rules/programmes';
import type { ApplicationRecord, DecisionRecord } from './applications.repository';
import { renderNotice } from './notice';

describe(renderNotice.name, () => {
  const A = 'a0000000-0000-4000-8000-000000000001';
  const app = {
    id: 'app-1',
    applicantPersonId: A,
    status: 'decided',
    submittedOn: '2026-03-10',
    decisionDueOn: '2026-03-24',
    decidedOn: '2026-03-11',
  } as ApplicationRecord;
  const facts = {
    applicationDate: '2026-03-10',
    applicantPersonId: A,
    members: [
      {
        personId: A,
        role: 'applicant' as const,
        relation: 'self' as const,
        birthDate: '1985-01-01',
        deathDate: null,
        statuses: [{ type: 'idp', validFrom: '2024-01-01', validTo: null }],
      },
    ],
  };

  it('states the amount, the term and every rule with its parameters when granted', () => {
    const e = evaluateProgramme('idp-living-allowance', facts);
    const d = {
      programmeCode: 'idp-living-allowance',
      status: 'granted',
      decidedOn: '2026-03-11',
      reasons: [],
      evaluation: { ...e, months: toStoredMonths(e.months) },
    } as unknown as DecisionRecord;
    const notice = renderNotice(app, [d]);
    const text = notice.sections[0]!.lines.join('\n');
    expect(text).toContain('Строк: 2026-03 – 2026-08; усього 12 000.00 UAH');
    expect(text).toContain('[passed] idp.applicant-idp-status');
    expect(text).toContain('idp.amount.other=200000 from 2022-03-20');
  });

  it('states the reasons when refused', () => {
    const e = evaluateProgramme('idp-living-allowance', { ...facts, members: [{ ...facts.members[0]!, statuses: [] }] });
    const d = {
      programmeCode: 'idp-living-allowance',
      status: 'refused',
      decidedOn: '2026-03-11',
      reasons: e.reasons,
      evaluation: { ...e, months: [] },
    } as unknown as DecisionRecord;
    const text = renderNotice(app, [d]).sections[0]!.lines.join('\n');
    expect(text).toContain('Рішення: відмовлено');
    expect(text).toContain('Підстава: IDP_STATUS_MISSING');
    expect(text).toContain('[failed] idp.applicant-idp-status');
  });
});
