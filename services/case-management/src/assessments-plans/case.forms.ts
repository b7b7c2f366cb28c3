import type { CaseRecord } from '../cases/case.repository';

export interface ActForForm {
  kind: 'assessment' | 'plan';
  actVersion: number;
  actDate: string;
  data: Record<string, any>;
  correctionReason: string | null;
  signedBy: string;
}

const line = (label: string, value: unknown) => `${label}: ${value === null || value === undefined || value === '' ? '—' : String(value)}`;

/**
 * Printable forms rendered from the case data (never typed in twice): the needs assessment act and the
 * individual plan, with the version and the reason of a correction.
 */
export function renderActForm(c: CaseRecord, act: ActForForm): string {
  const head = [
    act.kind === 'assessment' ? 'АКТ ОЦІНКИ ПОТРЕБ ОСОБИ/СІМ’Ї' : 'ІНДИВІДУАЛЬНИЙ ПЛАН НАДАННЯ СОЦІАЛЬНИХ ПОСЛУГ',
    line('Випадок', c.id),
    line('Отримувач (id у реєстрі)', c.personId),
    line('Орган (КАТОТТГ)', c.katottg),
    line('Дата звернення', c.requestDate),
    line('Кризова ситуація', c.crisis ? 'так' : 'ні'),
    line('Версія акта', act.actVersion),
    line('Дата акта', act.actDate),
    ...(act.correctionReason ? [line('Підстава виправлення', act.correctionReason)] : []),
    line('Підписав', act.signedBy),
    '',
  ];
  if (act.kind === 'assessment') {
    const needs: string[] = act.data.needsIdentified ?? [];
    return [
      ...head,
      'Висновки оцінювання:',
      String(act.data.findings ?? ''),
      '',
      'Визначені потреби (коди Класифікатора):',
      ...needs.map((n) => `  - ${n}`),
      '',
    ].join('\n');
  }
  const services: { code: string; name: string; providerId: string; frequency: string; periodFrom: string; periodTo: string }[] =
    act.data.services ?? [];
  return [
    ...head,
    line('Мета', act.data.goals),
    line('Перегляд плану до', c.reviewDue),
    '',
    'Послуги:',
    ...services.map((s, i) => `  ${i + 1}. ${s.code} ${s.name}; надавач ${s.providerId}; ${s.frequency}; ${s.periodFrom} – ${s.periodTo}`),
    '',
  ].join('\n');
}
