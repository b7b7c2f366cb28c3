import { DomainError } from '@eisss/platform';
import { CaseErrorCode } from './case.errors';

/**
 * Basic social services of the Classifier of social services (наказ Мінсоцполітики від 23.06.2020
 * № 429) with the list of basic services of art. 16 part 6 of the Law «Про соціальні послуги».
 *
 * Source notes (2026-11-23): codes 001.0 «Інформування», 002.0 «Консультування» and 015.1 «Догляд
 * вдома» were confirmed against community publications of the Classifier table; the other codes follow
 * the Classifier's numbering as remembered and must be confirmed against the act before production use
 * (they are data: correcting a code is a data change, not a code change).
 */
export interface ClassifiedService {
  code: string;
  name: string;
  nameEn: string;
  /** Under martial law the decision on these is taken within 1 working day (CMU № 294 of 16.03.2022). */
  urgentUnderMartialLaw?: boolean;
}

export const SOCIAL_SERVICES_CLASSIFIER: readonly ClassifiedService[] = [
  { code: '001.0', name: 'Інформування', nameEn: 'information' },
  { code: '002.0', name: 'Консультування', nameEn: 'counselling' },
  { code: '003.0', name: 'Посередництво (медіація)', nameEn: 'mediation' },
  { code: '004.0', name: 'Соціальний супровід', nameEn: 'social support' },
  { code: '005.0', name: 'Представництво інтересів', nameEn: 'representation of interests' },
  { code: '006.0', name: 'Соціальна профілактика', nameEn: 'social prevention' },
  { code: '007.0', name: 'Соціальна адаптація', nameEn: 'social adaptation' },
  { code: '008.0', name: 'Соціальна інтеграція та реінтеграція', nameEn: 'social integration and reintegration' },
  { code: '009.0', name: 'Екстрене (кризове) втручання', nameEn: 'crisis and emergency intervention' },
  { code: '010.0', name: 'Натуральна допомога', nameEn: 'in-kind assistance' },
  { code: '011.0', name: 'Переклад жестовою мовою', nameEn: 'sign language translation' },
  { code: '012.0', name: 'Фізичний супровід', nameEn: 'physical accompaniment' },
  { code: '013.0', name: 'Притулок', nameEn: 'shelter' },
  { code: '015.1', name: 'Догляд вдома', nameEn: 'home care', urgentUnderMartialLaw: true },
  { code: '015.2', name: 'Денний догляд', nameEn: 'day care' },
  { code: '015.3', name: 'Підтримане проживання', nameEn: 'supported living', urgentUnderMartialLaw: true },
  { code: '015.4', name: 'Паліативний догляд', nameEn: 'palliative care', urgentUnderMartialLaw: true },
  { code: '015.5', name: 'Стаціонарний догляд', nameEn: 'residential care', urgentUnderMartialLaw: true },
];

export function classifiedService(code: string): ClassifiedService | undefined {
  return SOCIAL_SERVICES_CLASSIFIER.find((s) => s.code === code);
}

/** 422 CASE_UNKNOWN_SERVICE_CODE (the field at fault, details { unknown }) when a code is not in the Classifier. */
export function assertServiceCodes(codes: string[], field: string): void {
  const unknown = codes.filter((c) => !classifiedService(c));
  if (unknown.length > 0)
    throw DomainError.validation(
      CaseErrorCode.CASE_UNKNOWN_SERVICE_CODE,
      `not in the Classifier of social services: ${unknown.join(', ')}`,
      field,
      {
        unknown,
      },
    );
}
