import { renderActForm } from './case.forms';
import type { CaseRecord } from '../cases/case.repository';

const c = {
  id: '6a0f3c1e-2b4d-4e5f-8a9b-0c1d2e3f4a5b',
  personId: '3f1c2b7e-8a4d-4c1e-9d1a-2b3c4d5e6f70',
  katottg: 'UA80000000000093317',
  requestDate: '2026-11-23',
  crisis: true,
  reviewDue: '2027-06-01',
} as CaseRecord;

describe(renderActForm.name, () => {
  it('fills the assessment act from the case and the act when rendered', () => {
    const text = renderActForm(c, {
      kind: 'assessment',
      actVersion: 2,
      actDate: '2026-11-25',
      data: { findings: 'потребує догляду', needsIdentified: ['015.1'] },
      correctionReason: 'уточнено',
      signedBy: 'worker-1',
    });
    expect(text).toContain('АКТ ОЦІНКИ ПОТРЕБ');
    expect(text).toContain(`Випадок: ${c.id}`);
    expect(text).toContain('Дата звернення: 2026-11-23');
    expect(text).toContain('Кризова ситуація: так');
    expect(text).toContain('Версія акта: 2');
    expect(text).toContain('Підстава виправлення: уточнено');
    expect(text).toContain('  - 015.1');
  });

  it('lists every planned service with code, provider and period when the plan is rendered', () => {
    const text = renderActForm(c, {
      kind: 'plan',
      actVersion: 1,
      actDate: '2026-12-01',
      data: {
        goals: 'жити вдома',
        services: [
          {
            code: '015.1',
            name: 'Догляд вдома',
            providerId: 'tcsp-1',
            frequency: '3 рази на тиждень',
            periodFrom: '2026-12-01',
            periodTo: '2027-05-31',
          },
        ],
      },
      correctionReason: null,
      signedBy: 'manager-1',
    });
    expect(text).toContain('ІНДИВІДУАЛЬНИЙ ПЛАН');
    expect(text).toContain('1. 015.1 Догляд вдома; надавач tcsp-1; 3 рази на тиждень; 2026-12-01 – 2027-05-31');
    expect(text).toContain('Перегляд плану до: 2027-06-01');
    expect(text).not.toContain('Підстава виправлення');
  });
});
