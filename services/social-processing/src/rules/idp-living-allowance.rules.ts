import { addMonthsToMonth, monthOf, monthsBetween, firstOfMonth, lastOfMonth, type CalendarDate } from '@eisss/platform';
import type { ParameterTable, ParameterUse } from './parameters';
import {
  formatUah,
  node,
  statusValidWithin,
  type ApplicationFacts,
  type ExplanationNode,
  type MemberFact,
  type MonthAmount,
  type Programme,
  type Reason,
  type RuleSet,
  type SourceNote,
} from './rule-set';
import type { FindingRuleRow } from '../findings/finding-rules';
import {
  decidingRows,
  describe as describeTerritory,
  originPaidInMonth,
  originStatusOn,
  type OriginTerritoryFact,
  type TerritoryRow,
} from '../territories/territory-list';
import { EMPLOYMENT_SOURCE_NOTES, stoppedInMonth, type EmploymentStop, type ExtraPayment } from '../employment/employment-rules';

export const IDP_PROGRAMME_CODE = 'idp-living-allowance';

const ACT = 'Порядок надання допомоги на проживання ВПО, постанова КМУ від 20.03.2022 № 332';

export const IdpRules = {
  applicantAlive: { id: 'idp.applicant-alive', title: 'The applicant is alive on the date of application', legalRef: `${ACT}, п. 2` },
  applicantStatus: {
    id: 'idp.applicant-idp-status',
    title: 'The applicant holds an IDP certificate valid on the date of application',
    legalRef: `${ACT}, п. 2`,
  },
  origin: {
    id: 'idp.origin-eligible',
    title:
      'Moved from a territory on the list of territories of hostilities/occupation without an end date on the date of application, or housing destroyed',
    legalRef: `${ACT}, п. 2 (ред. № 94 від 26.01.2024); перелік — наказ Мінреінтеграції № 309 від 22.12.2022, з 20.03.2025 наказ Мінрозвитку № 376 від 28.02.2025`,
  },
  originMonth: {
    id: 'idp.origin-month',
    title: 'Origin on the list in the month: paid from the month after inclusion, through the 3rd month after the month of the end date',
    legalRef: `${ACT}, п. 2 (зміни постановою № 923 від 19.08.2022: з 1 числа місяця, наступного за місяцем включення)`,
  },
  members: {
    id: 'idp.members-counted',
    title: 'Members counted in the family: IDP, alive, not mobilised, not on full state support',
    legalRef: `${ACT}, п. 4, п. 13`,
  },
  term: { id: 'idp.term', title: 'Term: six months from the month of application', legalRef: `${ACT}, п. 4 (ред. № 94 від 26.01.2024)` },
  monthly: {
    id: 'idp.monthly-amount',
    title: 'Monthly amount: 3 000 UAH per child or person with disability, 2 000 UAH per other member',
    legalRef: `${ACT}, п. 4`,
  },
  member: { id: 'idp.member-amount', title: 'Amount for one member in one month', legalRef: `${ACT}, п. 4` },
  fullStateSupport: {
    id: 'idp.full-state-support',
    title: 'A person on full state support is not counted in the family; an applicant on it is refused',
    legalRef: `${ACT}, п. 4, п. 13`,
  },
  extension: {
    id: 'idp.extension-eligibility',
    title: 'Extension for a further six months: vulnerable categories and income test',
    legalRef: `${ACT}, п. 4-1 (ред. серпень 2025)`,
  },
} as const;

const notes: SourceNote[] = [
  {
    act: ACT,
    clause: 'п. 4',
    note: '3 000 UAH for a child and a person with disability, 2 000 UAH for other persons, per member, paid to one member',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: '2026-11-23',
    references: [
      'https://kozova-rada.gov.ua/news/1649682396/ (community notice, 2022)',
      'https://cnap.zelenopidska-gromada.gov.ua/news/192377 (2025-01-08)',
    ],
  },
  {
    act: ACT,
    clause: 'п. 4',
    note: 'six months from the month of application whatever its day; no rule for late applications or communities added to the list is implemented',
    status: 'as stated in RULES.md, not confirmed',
    checkedOn: '2026-11-23',
  },
  {
    act: ACT,
    clause: 'п. 13',
    note: 'death of a member: recalculated from the next month; death of the recipient: terminated from the next month',
    status: 'as stated in RULES.md, not confirmed',
    checkedOn: '2026-11-23',
  },
  {
    act: ACT,
    clause: 'п. 4',
    note: 'a child counts as a child up to and including the month of the 18th birthday; adult amount from the following month (interpretation)',
    status: 'as stated in RULES.md, not confirmed',
    checkedOn: '2026-11-23',
  },
  {
    act: `${ACT} (зміни від 26.08.2025)`,
    clause: 'п. 4-1',
    note: 'extension for a further six months, automatic from 26.08.2025, implemented for: disability I–III, families with children under 18 (under 23 studying), families of persons unable to work only; income test 4 × subsistence minimum for persons unable to work; the rest of the list ("тощо") is not confirmed',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: '2026-11-23',
    references: [
      'https://interfax.com.ua/news/general/1099474.html (2025-08-26, ministry press release)',
      'https://sud.ua/uk/news/ukraine/339562 (2025-08-27)',
    ],
  },
  {
    act: 'наказ Мінреінтеграції від 22.12.2022 № 309; наказ Мінрозвитку від 28.02.2025 № 376 (в силі з 20.03.2025, виправлено наказом № 748 від 23.04.2025)',
    clause: 'Перелік територій, на яких ведуться (велися) бойові дії або тимчасово окупованих РФ',
    note: 'the list (approved under КМУ № 1364 of 06.12.2022, agreed with the Ministry of Defence on the military administrations\' proposals, amended by later orders) has the sections possible hostilities, active hostilities, active hostilities with functioning state e-resources, temporarily occupied; each territory with its КАТОТТГ code, the date hostilities/occupation began and the date they ended; order № 376 replaced № 309 (lost force). The right to the IDP allowance is for persons who left territories on the list "на яких не визначена дата завершення бойових дій". Loaded as data (POST /territories/imports, two persons), with history; the application date decides (origin listed, included by then, no end date before it)',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: '2026-12-01',
    references: [
      'https://decentralization.ua/news/15951 (order № 309, sections)',
      'https://decentralization.gov.ua/news/19374 (order № 376 of 28.02.2025 replaces № 309)',
      'https://news.dtkt.ua/society/community/96988-novii-perelik-tot-ta-teritorii-boiovix-dii-2025-onovlennia-za-15-lipnia-dije-z-120825-r (№ 376 in force from 20.03.2025, corrected by № 748 of 23.04.2025, amended since)',
      'https://debaty.sumy.ua/news/zatverdzheno-zmini-do-pereliku-teritorij-na-yakih-vedutsya-velisya-bojovi-diyi-abo-timchasovo-okupovanih (2023: the right is for territories without an end date)',
    ],
  },
  {
    act: `${ACT} (зміни постановою № 923 від 19.08.2022)`,
    clause: 'п. 2',
    note: 'when a community is included in the list, the allowance is paid to its residents from the 1st day of the month following the month of inclusion',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: '2026-12-01',
    references: [
      'https://napensii.ua/uk/news/189302-v-ukrayini-zminyly-poryadok-zdijsnennya-vyplat-vnutrishno-peremishhenym-osobam/amp (2022)',
    ],
  },
  {
    act: ACT,
    clause: 'п. 2 (clause not confirmed)',
    note: 'when an end date of hostilities/occupation is set for the community of origin, payment continues for 3 more months after the month of the end date and stops from the 4th (TERRITORY_HOSTILITIES_ENDED); the act text and the month it counts from (end date or the order setting it) were not found',
    status: 'as stated in RULES.md, not confirmed',
    checkedOn: '2026-12-01',
  },
  {
    act: ACT,
    clause: 'п. 2',
    note: 'transitional: when the IDP status names no community of origin (originKatottg), the list cannot be consulted and the status details decide as before (originEligible=false refuses)',
    status: 'as stated in RULES.md, not confirmed',
    checkedOn: '2026-12-01',
  },
];

/**
 * A member's share stopped by a finding (kept in the assignment's facts): not counted from `fromMonth`
 * to the end of the term; a later recalculation keeps it stopped (the act restores no such share).
 */
export interface ShareStop {
  fromMonth: string;
  findingId: string;
  rule: string;
  ruleRowId: string;
  legalRef: string;
}

/**
 * A member as the IDP rules read it: the common facts plus the shares stopped by findings, the shares
 * stopped (and restored) for the employment duty, and the monthly pension known at extension.
 */
export type IdpMemberFact = MemberFact & {
  shareStops?: ShareStop[];
  employmentStops?: EmploymentStop[];
  pensionMonthlyKopiyky?: string | null;
};

/** The facts of an IDP assignment: the common facts plus one-time extra amounts (the "7th payment"). */
export type IdpFacts = ApplicationFacts & { extraPayments?: ExtraPayment[] };

const CHECKED_ON = '2026-12-01';
const EXPERT_ABROAD =
  "https://expert.in.ua/society/vyplaty-skasuyut-bez-prava-vidnovlennya-za-shho-mozhut-pokaraty-ukrayintsiv-na-sotsiali/amp (роз'яснення БФ «Право на захист»)";

/**
 * What each verification finding does to an IDP allowance assignment (RULES.md §1: "what a verification
 * finding does is part of the rule"). Rows are picked by the finding's effective date; a rule with no row
 * in force changes nothing. The thresholds themselves (30/60/90 days, 100 000 UAH, 5 years, 13.65 m²,
 * income) are verification's rules: here only what follows from a finding.
 */
export const IdpFindingRules: FindingRuleRow[] = [
  {
    id: 'idp.finding.death',
    title: 'Death of a member: the share stops from the next month; death of the recipient: the assignment stops from the next month',
    ruleIds: ['death'],
    effectiveFrom: '2022-03-20',
    effectiveTo: null,
    scope: 'death',
    fromMonth: 'month-after',
    restoration: 'none',
    discretionDefault: 'none',
    legalRef: `${ACT}, п. 13`,
    reasonCode: 'MEMBER_DIED',
    sourceNote: {
      act: ACT,
      clause: 'п. 13',
      note: 'death: recalculation of the family amount from the next month, termination when the recipient died; a registered death leaves no discretion. The clause number is not confirmed by the text found',
      status: 'as stated in RULES.md, not confirmed',
      checkedOn: CHECKED_ON,
    },
  },
  {
    id: 'idp.finding.abroad-30',
    title: 'A member abroad more than 30 consecutive days without a documented valid reason: the share stops without restoration',
    ruleIds: ['abroad', 'abroad-over-30-days', 'abroad-over-30-days-or-60-in-period', 'abroad-over-60-days-in-period'],
    effectiveFrom: '2023-08-01',
    effectiveTo: '2025-08-25',
    scope: 'member',
    fromMonth: 'month-after',
    restoration: 'none',
    discretionDefault: 'officer',
    legalRef: `${ACT}, п. 8 (ред. постанови КМУ № 709 від 11.07.2023)`,
    reasonCode: 'FINDING_ABROAD',
    sourceNote: {
      act: `${ACT} (зміни постановою № 709 від 11.07.2023)`,
      clause: 'п. 8',
      note: 'from 01.08.2023 the payment is not continued for persons abroad more than 30 calendar days in a row without documented valid reasons (business trip, internship, treatment, rehabilitation, children\'s recreation, care of a sick child, death of relatives…); a stopped payment is not restored. From which month: the act\'s general formula "з місяця, що настає за місяцем", not confirmed for this signal',
      status: 'confirmed by secondary sources, not the act text',
      checkedOn: CHECKED_ON,
      references: [
        'https://zn.ua/ECONOMICS/pomoshch-vpl-mohut-lishit-ee-za-vremennoe-prebyvanie-za-hranitsej.html (2023)',
        'https://kourier.in.ua/8473-zmnyuyutsya-pravila-viplat-dopomogi-dlya-vnutrshno-peremschenih-osb.html (2023)',
        EXPERT_ABROAD,
      ],
    },
  },
  {
    id: 'idp.finding.abroad-30-60',
    title:
      'A member abroad more than 30 consecutive days or more than 60 days in total within the period (longer limits with valid reasons): the share stops without restoration',
    ruleIds: ['abroad', 'abroad-over-30-days', 'abroad-over-30-days-or-60-in-period', 'abroad-over-60-days-in-period'],
    effectiveFrom: '2025-08-26',
    effectiveTo: null,
    scope: 'member',
    fromMonth: 'month-after',
    restoration: 'none',
    discretionDefault: 'officer',
    legalRef: `${ACT}, п. 8 (зміни від 26.08.2025)`,
    reasonCode: 'FINDING_ABROAD',
    sourceNote: {
      act: `${ACT} (зміни від 26.08.2025)`,
      clause: 'п. 8',
      note: 'the payment stops when a person is abroad more than 30 days in a row or more than 60 days in total within the six months (with documented valid reasons the limits are 60 in a row / 90 in total); a stopped payment is not restored ("виплати не поновлюються"). The clause is cited as п. 8 by «Право на захист»; п. 13 of the Procedure is the extension (13¹–13⁴ its criteria), not the stop. From which month: not confirmed, taken as the month after the first day over the limit',
      status: 'confirmed by secondary sources, not the act text',
      checkedOn: CHECKED_ON,
      references: [
        EXPERT_ABROAD,
        'https://focus.ua/uk/economics/721199-viplati-dlya-vpo-kabmin-zminyuye-pravila-z-1-veresnya-ostanni-novini (2025-08-26)',
        'https://sud.ua/uk/news/ukraine/339533-kabmin-utochnil-usloviya-vyplat-dlya-vnutrenne-peremeschennykh-lits-chto-izmenitsya (2025-08-27)',
      ],
    },
  },
  {
    id: 'idp.finding.abroad-90',
    title: 'A member abroad more than 90 consecutive days: the IDP certificate is cancelled, the share stops without restoration',
    ruleIds: ['abroad-over-90-days'],
    effectiveFrom: '2025-07-01',
    effectiveTo: null,
    scope: 'member',
    fromMonth: 'month-after',
    restoration: 'none',
    discretionDefault: 'officer',
    legalRef: `Порядок оформлення і видачі довідки про взяття на облік ВПО, постанова КМУ від 01.10.2014 № 509 (зміни постановою № 376 від 04.04.2025); ${ACT}, п. 2`,
    reasonCode: 'FINDING_ABROAD_90_DAYS',
    sourceNote: {
      act: 'постанова КМУ від 04.04.2025 № 376 (зміни до Порядку № 509)',
      clause: 'clause not confirmed',
      note: 'from 01.07.2025 the Ministry of Finance checks monthly for stays abroad over 90 calendar days in a row without valid reasons; the body that issued the certificate checks further and may cancel it (discretion of the body); without the certificate the person is not an IDP and their share stops (п. 2 of № 332)',
      status: 'confirmed by secondary sources, not the act text',
      checkedOn: CHECKED_ON,
      references: [
        'https://ternopoliany.te.ua/zhittya/104200-z-1-lipnya-vpo-pereviryatimut-shchomisyatsya-status-mozhut-skasuvati (2025)',
        'https://first.politeka.net/uk/457293-groshova-dopomoga-dlya-vpo-v-zaporizhzhi-ukrajincyam-zrobili-poperedzhennya (2025-08-31)',
      ],
    },
  },
  {
    id: 'idp.finding.deposits',
    title: 'Deposits of a member over 100 000 UAH: the family is not paid from the month on whose 1st day they are held',
    ruleIds: ['deposit-over-threshold', 'deposit*'],
    effectiveFrom: '2023-09-01',
    effectiveTo: null,
    scope: 'assignment',
    fromMonth: 'month-from-first-day',
    restoration: 'none',
    discretionDefault: 'officer',
    legalRef: `${ACT}, п. 7`,
    reasonCode: 'FINDING_DEPOSITS',
    sourceNote: {
      act: ACT,
      clause: 'п. 7 (clause not confirmed)',
      note: 'the allowance is not assigned or paid to a family a member of which holds deposits over 100 000 UAH (orphans and children deprived of parental care exempt from 26.08.2025: verification applies the exemption); the test "on the 1st day of the month from which it is paid" is confirmed for the property criteria of п. 7-1, taken here for deposits too',
      status: 'confirmed by secondary sources, not the act text',
      checkedOn: CHECKED_ON,
      references: [
        'https://fakty.com.ua/ua/ukraine/20250501-chy-mozhut-pozbavyty-vyplat-vpo-za-kupivlyu-zhytla-ta-yak-ne-vtratyty-dopomogu/ (2025-05-01)',
        'https://www.minfin.com.ua/ua/2025/08/27/157427934/ (2025-08-27)',
      ],
    },
  },
  {
    id: 'idp.finding.vehicle',
    title: 'A vehicle less than 5 years since manufacture bought by a member: the family is not paid from the next month',
    ruleIds: ['vehicle', 'vehicle*'],
    effectiveFrom: '2023-07-15',
    effectiveTo: null,
    scope: 'assignment',
    fromMonth: 'month-after',
    earliestMonth: '2023-09',
    restoration: 'none',
    discretionDefault: 'officer',
    legalRef: `${ACT}, п. 7-1; постанова КМУ № 709 від 11.07.2023, п. 2 пп. 1`,
    reasonCode: 'FINDING_VEHICLE',
    sourceNote: {
      act: 'постанова КМУ від 11.07.2023 № 709',
      clause: 'п. 2 пп. 1',
      note: "from 01.09.2023 the payment stops when an IDP bought, after 15.07.2023, a vehicle subject to registration with less than 5 years since its year of manufacture (not mopeds or trailers); exceptions (motorcycles under 13 subsistence minimums, self-built, bought by a person with disability I–II, received free or on preferential terms, wanted or destroyed, handed to the defence forces) are verification's",
      status: 'confirmed by secondary sources, not the act text',
      checkedOn: CHECKED_ON,
      references: [
        'https://tashanska-gromada.gov.ua/news/1707746565/ (2024)',
        'https://zhvanecka-gromada.gov.ua/news/1697455082/ (2023-10-13)',
      ],
    },
  },
  {
    id: 'idp.finding.purchases',
    title:
      'A purchase over 100 000 UAH (land, housing, other real estate, currency, bank metals, securities…) by a member: the family is not paid from the next month',
    ruleIds: ['purchase-over-threshold', 'purchase*', 'currency-purchase', 'real-estate-purchase', 'land-purchase'],
    effectiveFrom: '2023-07-15',
    effectiveTo: null,
    scope: 'assignment',
    fromMonth: 'month-after',
    earliestMonth: '2023-09',
    restoration: 'none',
    discretionDefault: 'officer',
    legalRef: `${ACT}, п. 7-1 пп. 2; постанова КМУ № 709 від 11.07.2023, п. 2 пп. 2`,
    reasonCode: 'FINDING_PURCHASE',
    sourceNote: {
      act: `${ACT}; постанова КМУ від 11.07.2023 № 709`,
      clause: 'п. 7-1 пп. 2',
      note: 'not assigned or not paid to a family a member of which, within 3 months before applying or while receiving it, bought land, a house or flat (not from the state or local budget), other real estate, securities, virtual assets or other goods for over 100 000 UAH; in force for payments from 01.09.2023',
      status: 'confirmed by secondary sources, not the act text',
      checkedOn: CHECKED_ON,
      references: [
        'https://fakty.com.ua/ua/ukraine/20250501-chy-mozhut-pozbavyty-vyplat-vpo-za-kupivlyu-zhytla-ta-yak-ne-vtratyty-dopomogu/ (2025-05-01)',
        'https://zhvanecka-gromada.gov.ua/news/1697455082/ (2023-10-13)',
        'https://politeka.net/society/463813-groshova-dopomoga-dlya-vpo-v-ukrajini-hto-rizikuye-vtratiti-pidtrimku-vid-derzhavi (2026-01)',
      ],
    },
  },
  {
    id: 'idp.finding.housing',
    title:
      'Housing of a member in a safe territory over 13.65 m² per family member: the family is not paid from the month on whose 1st day it is owned',
    ruleIds: ['housing-area', 'housing-area-over-norm', 'housing*'],
    effectiveFrom: '2025-08-26',
    effectiveTo: null,
    scope: 'assignment',
    fromMonth: 'month-from-first-day',
    restoration: 'none',
    discretionDefault: 'officer',
    legalRef: `${ACT}, п. 7-1 пп. 5 (зміни від 26.08.2025)`,
    reasonCode: 'FINDING_HOUSING',
    sourceNote: {
      act: `${ACT} (зміни від 26.08.2025)`,
      clause: 'п. 7-1 пп. 5',
      note: "not assigned or not paid when on the 1st day of the month from which it is paid a member owns housing outside the territories of hostilities/occupation; the area condition was clarified on 26.08.2025 (the 13.65 m² per member bar is from RULES.md, verification's parameter)",
      status: 'confirmed by secondary sources, not the act text',
      checkedOn: CHECKED_ON,
      references: [
        'https://fakty.com.ua/ua/ukraine/20250501-chy-mozhut-pozbavyty-vyplat-vpo-za-kupivlyu-zhytla-ta-yak-ne-vtratyty-dopomogu/ (2025-05-01)',
        'https://sud.ua/uk/news/ukraine/339533-kabmin-utochnil-usloviya-vyplat-dlya-vnutrenne-peremeschennykh-lits-chto-izmenitsya (2025-08-27)',
      ],
    },
  },
  {
    id: 'idp.finding.income',
    title: 'Average monthly income per person over the extension bar: the family is not paid from the month after the month found',
    ruleIds: ['income-over-threshold', 'income*'],
    effectiveFrom: '2024-03-01',
    effectiveTo: null,
    scope: 'assignment',
    fromMonth: 'month-after',
    restoration: 'none',
    discretionDefault: 'officer',
    legalRef: `${ACT}, пп. 13-1–13-4 (ред. № 94 від 26.01.2024)`,
    reasonCode: 'FINDING_INCOME',
    sourceNote: {
      act: `${ACT} (ред. № 94 від 26.01.2024)`,
      clause: 'пп. 13-1–13-4, п. 13',
      note: 'after an automatic extension (п. 13) the body checks within a month the criteria of пп. 7, 7-1 and 13-1–13-4 (income among them) and, when they fail, stops the payment from the month after the month of the automatic extension; without an effective date the month after the day of acting is taken',
      status: 'confirmed by secondary sources, not the act text',
      checkedOn: CHECKED_ON,
      references: [
        'https://lubotyn-gromada.gov.ua/news/?p=65 (2024-09-02)',
        'https://druisp.gov.ua/novini/10707-shchodo-prodovzhennya-viplati-dopomogi-na-prozhivannya-vnutrishno-peremishchenim-osobam (2025)',
      ],
    },
  },
];

const EXTENSION_NOTES: SourceNote[] = [
  {
    act: `${ACT} (ред. № 94 від 26.01.2024; зміни від 26.08.2025)`,
    clause: 'п. 13, пп. 13-1–13-4',
    note: 'automatic extension without an application: pensioners whose pension is not above 4 subsistence minimums for persons unable to work (9 444 UAH in 2024–2025; 10 380 UAH from 2026, RULES.md), persons with disability of group I–II, children with disability, orphans and children deprived of parental care and persons from among them up to 23 (also in family-type homes and foster families), parent-educators, foster parents and guardians; the body checks the conditions within a month and stops from the month after the month of the automatic extension when they fail. The income test at extension uses the income facts of the last 3 months (one-off payments and military pay not counted): the 3 months up to the last month of the ending term are taken',
    status: 'confirmed by secondary sources, not the act text',
    checkedOn: '2026-12-01',
    references: [
      'http://sts-mrada.gov.ua/?p=20889 (правовий дайджест, 2024-05-17, постанова № 94)',
      'https://khersonrda.gov.ua/?p=43112 (2024-02-05)',
      'https://lubotyn-gromada.gov.ua/news/?p=65 (2024-09-02)',
    ],
  },
  {
    act: ACT,
    clause: 'п. 4, п. 13',
    note: 'a child with a disability (status child_with_disability, no group) counts as a person with disability (3 000 UAH); a person on full state support (status full_state_care) is not counted and an applicant on it is refused (APPLICANT_FULL_STATE_SUPPORT)',
    status: 'as stated in RULES.md, not confirmed',
    checkedOn: '2026-12-01',
  },
];

/**
 * The end of hostilities/occupation in the community of origin: payment continues for `monthsAfterEnd`
 * months after the month of the end date (effective-dated: the row in force on the end date applies).
 */
export const IdpTerritoryEndRules: {
  id: string;
  effectiveFrom: CalendarDate;
  effectiveTo: CalendarDate | null;
  monthsAfterEnd: number;
  reasonCode: string;
  legalRef: string;
}[] = [
  {
    id: 'idp.territory.end-plus-3',
    effectiveFrom: '2022-03-20',
    effectiveTo: null,
    monthsAfterEnd: 3,
    reasonCode: 'TERRITORY_HOSTILITIES_ENDED',
    legalRef: `${ACT}, п. 2 (3 місяці після місяця дати завершення; as stated in RULES.md, not confirmed)`,
  },
];

/** How many months after the month of an end date are still paid (the rule in force on the end date). */
export function monthsAfterEndOn(endedOn: CalendarDate): number {
  const r =
    IdpTerritoryEndRules.find((x) => x.effectiveFrom <= endedOn && (x.effectiveTo === null || endedOn <= x.effectiveTo)) ??
    IdpTerritoryEndRules[0]!;
  return r.monthsAfterEnd;
}

/** The IDP facts: the common ones plus the list rows covering the community of origin (filled from the list of territories). */
export type IdpApplicationFacts = ApplicationFacts & { originTerritory?: OriginTerritoryFact | null };

/** The community of origin named by the applicant's IDP status valid on a date (or any IDP status), if any. */
export function originKatottgOf(facts: ApplicationFacts, on: CalendarDate = facts.applicationDate): string | null {
  const applicant = facts.members.find((m) => m.personId === facts.applicantPersonId);
  if (!applicant) return null;
  const status = statusValidWithin(applicant, 'idp', on, on) ?? applicant.statuses.find((s) => s.type === 'idp');
  const code = status?.details?.originKatottg;
  return typeof code === 'string' && code.length > 0 ? code : null;
}

/** The list rows of the origin when the list was consulted for this code, else null (the status details decide). */
function originRows(facts: ApplicationFacts): { katottg: string; rows: TerritoryRow[]; listVersion: number | null } | null {
  const t = (facts as IdpApplicationFacts).originTerritory;
  const code = originKatottgOf(facts);
  if (!t || !code || t.katottg !== code) return null;
  return t;
}

/** Whether a month is paid by reason of the origin (null: the list is not consulted, nothing to gate). */
function originGate(facts: ApplicationFacts, month: string): { paid: boolean; why: string; row: TerritoryRow | null } | null {
  const o = originRows(facts);
  if (!o) return null;
  const applicant = facts.members.find((m) => m.personId === facts.applicantPersonId);
  const status = applicant ? statusValidWithin(applicant, 'idp', facts.applicationDate, facts.applicationDate) : undefined;
  if (status?.details?.housingDestroyed === true) return null;
  const ended = decidingRows(o.rows, o.katottg).find((r) => r.endedOn !== null);
  return originPaidInMonth(o.rows, o.katottg, month, ended ? monthsAfterEndOn(ended.endedOn!) : 3);
}

function isAlive(m: MemberFact, on: CalendarDate): boolean {
  return m.deathDate === null || m.deathDate > on;
}

/** A child up to and including the month of the 18th birthday. */
function isChildInMonth(m: MemberFact, month: string): boolean {
  const [y, mm] = m.birthDate.split('-') as [string, string];
  return `${Number(y) + 18}-${mm}` >= month;
}

function ageYears(birthDate: CalendarDate, on: CalendarDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

interface MemberInMonth {
  counted: boolean;
  why: string;
  category?: 'child' | 'disability' | 'other';
}

function memberInMonth(m: MemberFact, month: string): MemberInMonth {
  const from = firstOfMonth(month);
  const to = lastOfMonth(month);
  if (m.birthDate > to) return { counted: false, why: 'not yet born' };
  // Death: counted up to the month of death, stopped from the next month.
  if (m.deathDate !== null && monthOf(m.deathDate) < month) return { counted: false, why: `died ${m.deathDate}` };
  if (!statusValidWithin(m, 'idp', from, to)) return { counted: false, why: 'no IDP status in the month' };
  if (m.mobilised) return { counted: false, why: 'mobilised / taking part in defence' };
  if (m.fullStateSupport) return { counted: false, why: 'on full state support' };
  // Full state support from the register (status full_state_care): not counted in a month it covers wholly or from its first day.
  if (m.statuses.some((s) => s.type === 'full_state_care' && s.validFrom <= from && (s.validTo === null || s.validTo >= to)))
    return { counted: false, why: 'on full state support (full_state_care)' };
  const stop = (m as IdpMemberFact).shareStops?.find((x) => x.fromMonth <= month);
  if (stop)
    return { counted: false, why: `share stopped from ${stop.fromMonth}: finding ${stop.findingId} (${stop.rule}; ${stop.legalRef})` };
  const employment = stoppedInMonth((m as IdpMemberFact).employmentStops, month);
  if (employment)
    return {
      counted: false,
      why: `share stopped from ${employment.fromMonth}: no step into employment by ${employment.deadline} (${employment.ruleId}; ${employment.legalRef})`,
    };
  if (statusValidWithin(m, 'disability', from, to)) return { counted: true, why: 'person with disability', category: 'disability' };
  // A child with a disability has no group I–III: a status of its own, counted as a person with disability.
  if (statusValidWithin(m, 'child_with_disability', from, to))
    return { counted: true, why: 'child with disability', category: 'disability' };
  if (isChildInMonth(m, month)) return { counted: true, why: 'child under 18', category: 'child' };
  return { counted: true, why: 'other member', category: 'other' };
}

/** One member's monthly amount in a month under the IDP rules (0 when not counted): the basis of the one-time 7th payment. */
export function idpMemberAmount(m: MemberFact, month: string, params: ParameterTable): bigint {
  const r = memberInMonth(m, month);
  if (!r.counted) return 0n;
  return params.use(r.category === 'other' ? 'idp.amount.other' : 'idp.amount.child-or-disability', firstOfMonth(month)).value;
}

function computeMonths(
  facts: ApplicationFacts,
  period: { from: string; to: string },
  params: ParameterTable,
  version: string,
): { months: MonthAmount[]; node: ExplanationNode; counted: Set<string> } {
  const months: MonthAmount[] = [];
  const children: ExplanationNode[] = [];
  const counted = new Set<string>();
  for (const month of monthsBetween(period.from, period.to)) {
    const on = firstOfMonth(month);
    const child = params.use('idp.amount.child-or-disability', on);
    const other = params.use('idp.amount.other', on);
    let total = 0n;
    const memberNodes: ExplanationNode[] = [];
    const parts: string[] = [];
    const stopped: string[] = [];
    const gate = originGate(facts, month);
    if (gate && !gate.paid) {
      months.push({
        month,
        amountKopiyky: 0n,
        explanation: `${version}: ${IdpRules.originMonth.legalRef}; ${month}: not paid — origin ${gate.why}`,
      });
      children.push(
        node(
          IdpRules.originMonth,
          'failed',
          {
            month,
            origin: gate.why,
            territoryEntryId: gate.row?.entryId ?? null,
            listVersion: gate.row?.listVersion ?? null,
            source: gate.row?.source ?? null,
          },
          [],
          { amountKopiyky: '0', period: month },
        ),
      );
      continue;
    }
    for (const m of facts.members) {
      const r = memberInMonth(m, month);
      if (!r.counted) {
        if (
          (m as IdpMemberFact).shareStops?.some((x) => x.fromMonth <= month) ||
          stoppedInMonth((m as IdpMemberFact).employmentStops, month)
        )
          stopped.push(r.why);
        memberNodes.push(
          node(IdpRules.member, 'not_applicable', { personId: m.personId, reason: r.why }, [], { amountKopiyky: '0', period: month }),
        );
        continue;
      }
      counted.add(m.personId);
      const p = r.category === 'other' ? other : child;
      total += p.value;
      parts.push(`${r.category} ${formatUah(p.value)}`);
      memberNodes.push(
        node(IdpRules.member, 'amount', { personId: m.personId, category: r.category, birthDate: m.birthDate }, [p.use], {
          amountKopiyky: p.value.toString(),
          period: month,
        }),
      );
    }
    for (const x of (facts as IdpFacts).extraPayments ?? []) {
      if (x.month !== month) continue;
      total += BigInt(x.amountKopiyky);
      parts.push(`${x.text} ${formatUah(BigInt(x.amountKopiyky))} (${x.legalRef})`);
      memberNodes.push(
        node({ id: x.ruleId, title: x.text, legalRef: x.legalRef }, 'amount', { personId: x.personId, extraPaymentId: x.id }, [], {
          amountKopiyky: x.amountKopiyky,
          period: month,
        }),
      );
    }
    months.push({
      month,
      amountKopiyky: total,
      explanation: `${version}: ${IdpRules.monthly.legalRef}; ${month}: ${parts.length ? parts.join(' + ') : 'no member counted'} = ${formatUah(total)}${stopped.length ? `; ${stopped.join('; ')}` : ''}`,
    });
    children.push(
      node(IdpRules.monthly, 'amount', { month, membersCounted: parts.length }, [child.use, other.use], {
        amountKopiyky: total.toString(),
        period: month,
        children: memberNodes,
      }),
    );
  }
  return { months, counted, node: node(IdpRules.monthly, 'amount', { periodFrom: period.from, periodTo: period.to }, [], { children }) };
}

function unableToWork(m: MemberFact, on: CalendarDate): boolean {
  return ageYears(m.birthDate, on) >= 60 || !!statusValidWithin(m, 'disability', on, on) || !!statusValidWithin(m, 'pensioner', on, on);
}

/**
 * Categories extended automatically, without an application (RULES.md §1, 2026 list): pensioners with a pension not above
 * 4 × the subsistence minimum for persons unable to work, disability of group I–II, children with disability, orphans and
 * children deprived of parental care up to 23, guardians (foster parents and parent-educators are recorded as guardians).
 */
export function automaticCategories(alive: MemberFact[], on: CalendarDate, params: ParameterTable, used: ParameterUse[] = []): string[] {
  const out: string[] = [];
  const pensioners = alive.filter((m) => statusValidWithin(m, 'pensioner', on, on));
  if (pensioners.length > 0) {
    const sm = params.use('subsistence-minimum.unable-to-work', on);
    const mult = params.use('idp.extension.income-multiplier', on);
    const bar = sm.value * mult.value;
    const low = pensioners.some((m) => {
      const p = (m as IdpMemberFact).pensionMonthlyKopiyky ?? statusValidWithin(m, 'pensioner', on, on)?.details?.pensionKopiyky;
      return (typeof p === 'string' || typeof p === 'number') && BigInt(p) <= bar;
    });
    if (!used.some((u) => u.key === sm.use.key)) used.push(sm.use, mult.use);
    if (low) out.push(`pensioner with a pension not above ${formatUah(bar)}`);
  }
  if (alive.some((m) => ['I', 'II'].includes(String(statusValidWithin(m, 'disability', on, on)?.details?.group ?? ''))))
    out.push('person with disability of group I–II');
  if (alive.some((m) => statusValidWithin(m, 'child_with_disability', on, on))) out.push('child with disability');
  if (alive.some((m) => statusValidWithin(m, 'child_deprived_of_parental_care', on, on) && ageYears(m.birthDate, on) < 23))
    out.push('orphan or child deprived of parental care (up to 23)');
  if (alive.some((m) => m.relation === 'guardian')) out.push('guardian, foster parent or parent-educator');
  return out;
}

function extensionNode(facts: ApplicationFacts, params: ParameterTable, automatic: boolean): ExplanationNode {
  const on = facts.applicationDate;
  const alive = facts.members.filter((m) => isAlive(m, on));
  const categories: string[] = [];
  if (alive.some((m) => statusValidWithin(m, 'disability', on, on) || statusValidWithin(m, 'child_with_disability', on, on)))
    categories.push('member with disability (I–III) or child with disability');
  if (alive.some((m) => ageYears(m.birthDate, on) < 18 || (ageYears(m.birthDate, on) < 23 && m.studying)))
    categories.push('family with children under 18 (23 studying)');
  if (alive.length > 0 && alive.every((m) => unableToWork(m, on))) categories.push('family of persons unable to work only');
  const used: ParameterUse[] = [];
  let incomeOk: boolean | null = null;
  if (facts.averageMonthlyIncomePerPersonKopiyky != null) {
    const sm = params.use('subsistence-minimum.unable-to-work', on);
    const mult = params.use('idp.extension.income-multiplier', on);
    used.push(sm.use, mult.use);
    incomeOk = BigInt(facts.averageMonthlyIncomePerPersonKopiyky) <= sm.value * mult.value;
  }
  const auto = automatic ? automaticCategories(alive, on, params, used) : [];
  // An automatic extension (from 26.08.2025) does not wait for the income test: it is checked within a month (ExtensionService).
  const eligible = auto.length > 0 || (categories.length > 0 && incomeOk !== false);
  return node(
    IdpRules.extension,
    'info',
    {
      vulnerableCategories: categories,
      automaticCategories: auto,
      automaticallyExtended: auto.length > 0,
      averageMonthlyIncomePerPersonKopiyky: facts.averageMonthlyIncomePerPersonKopiyky ?? null,
      incomeTestPassed: incomeOk,
      extensionEligible: eligible,
      automatic,
    },
    used,
  );
}

function idpRuleSet(version: string, effectiveFrom: CalendarDate, effectiveTo: CalendarDate | null, automaticExtension: boolean): RuleSet {
  return {
    programmeCode: IDP_PROGRAMME_CODE,
    version,
    effectiveFrom,
    effectiveTo,
    rules: Object.values(IdpRules),
    sourceNotes: [...notes, ...IdpFindingRules.map((r) => r.sourceNote), ...EMPLOYMENT_SOURCE_NOTES, ...EXTENSION_NOTES],
    decide(facts, params) {
      const on = facts.applicationDate;
      const applicant = facts.members.find((m) => m.personId === facts.applicantPersonId);
      const nodes: ExplanationNode[] = [];
      const reasons: Reason[] = [];
      const refuse = (code: string, text: string) => reasons.push({ code, text });
      if (!applicant || !isAlive(applicant, on)) {
        nodes.push(node(IdpRules.applicantAlive, 'failed', { deathDate: applicant?.deathDate ?? null, applicationDate: on }));
        refuse('APPLICANT_DECEASED', 'the applicant is not alive on the date of application');
      } else nodes.push(node(IdpRules.applicantAlive, 'passed', { deathDate: null, applicationDate: on }));
      const status = applicant ? statusValidWithin(applicant, 'idp', on, on) : undefined;
      if (!status) {
        nodes.push(node(IdpRules.applicantStatus, 'failed', { applicationDate: on, idpStatus: null }));
        refuse('IDP_STATUS_MISSING', 'the applicant holds no IDP certificate valid on the date of application');
      } else {
        nodes.push(
          node(IdpRules.applicantStatus, 'passed', {
            applicationDate: on,
            idpStatus: {
              validFrom: status.validFrom,
              validTo: status.validTo,
              certificateNumber: status.details?.certificateNumber ?? null,
            },
          }),
        );
        const housingDestroyed = status.details?.housingDestroyed === true;
        const listed = originRows(facts);
        if (listed && !housingDestroyed) {
          // The official list decides: the origin listed on the date of application, included by then, no end date before it.
          const o = originStatusOn(listed.rows, listed.katottg, on);
          nodes.push(
            node(IdpRules.origin, o.status === 'listed' ? 'passed' : 'failed', {
              originKatottg: listed.katottg,
              onDate: on,
              listStatus: o.status,
              listVersion: listed.listVersion,
              row: o.row,
              citation: o.row ? describeTerritory(o.row) : null,
              housingDestroyed,
            }),
          );
          if (o.status === 'ended')
            refuse(
              'ORIGIN_HOSTILITIES_ENDED',
              `the hostilities/occupation of the community of origin ended before the date of application: ${describeTerritory(o.row!)}`,
            );
          else if (o.status === 'not_yet_included')
            refuse(
              'ORIGIN_NOT_YET_LISTED',
              `the community of origin was added to the list after the date of application: ${describeTerritory(o.row!)}`,
            );
          else if (o.status === 'not_listed')
            refuse(
              'ORIGIN_NOT_ELIGIBLE',
              `the community of origin ${listed.katottg} is not on the list of territories (v${listed.listVersion ?? 0}) and the housing is not recorded as destroyed`,
            );
        } else {
          // Transitional: no community of origin named (or the list not consulted): the status details decide.
          const originEligible = status.details?.originEligible !== false || housingDestroyed;
          nodes.push(
            node(IdpRules.origin, originEligible ? 'passed' : 'failed', {
              originKatottg: status.details?.originKatottg ?? null,
              originEligible: status.details?.originEligible ?? null,
              housingDestroyed,
              listConsulted: false,
            }),
          );
          if (!originEligible)
            refuse('ORIGIN_NOT_ELIGIBLE', 'the territory of origin is not on the list and the housing is not recorded as destroyed');
        }
      }
      const stateCare = applicant?.statuses.find(
        (s) => s.type === 'full_state_care' && s.validFrom <= on && (s.validTo === null || s.validTo >= on),
      );
      if (applicant && (applicant.fullStateSupport || stateCare)) {
        nodes.push(
          node(IdpRules.fullStateSupport, 'failed', {
            applicationDate: on,
            fullStateSupport: true,
            status: stateCare ? { validFrom: stateCare.validFrom, validTo: stateCare.validTo } : null,
          }),
        );
        refuse('APPLICANT_FULL_STATE_SUPPORT', 'the applicant is on full state support');
      }
      const termMonths = params.use('idp.term-months', on);
      const from = monthOf(on);
      const to = addMonthsToMonth(from, Number(termMonths.value) - 1);
      nodes.push(node(IdpRules.term, 'info', { applicationDate: on, periodFrom: from, periodTo: to }, [termMonths.use]));
      const computed = computeMonths(facts, { from, to }, params, version);
      const firstMonthMembers = facts.members.map((m) => ({ personId: m.personId, ...memberInMonth(m, from) }));
      const countedFirst = firstMonthMembers.filter((m) => m.counted);
      nodes.push(
        node(IdpRules.members, countedFirst.length > 0 ? 'passed' : 'failed', {
          month: from,
          members: firstMonthMembers.map((m) => ({ personId: m.personId, counted: m.counted, reason: m.why })),
        }),
      );
      if (countedFirst.length === 0 && reasons.length === 0)
        refuse('NO_ELIGIBLE_MEMBERS', 'no member of the family is counted for the allowance');
      const eligible = reasons.length === 0;
      if (eligible) {
        nodes.push(computed.node);
        nodes.push(extensionNode(facts, params, automaticExtension));
      }
      return {
        programmeCode: IDP_PROGRAMME_CODE,
        ruleSetVersion: version,
        eligible,
        reasons,
        recipientPersonId: facts.applicantPersonId,
        memberPersonIds: eligible ? facts.members.filter((m) => computed.counted.has(m.personId)).map((m) => m.personId) : [],
        periodFrom: eligible ? from : null,
        periodTo: eligible ? to : null,
        months: eligible ? computed.months : [],
        explanation: node(
          { id: 'idp', title: 'IDP living allowance', legalRef: ACT },
          eligible ? 'passed' : 'failed',
          { ruleSetVersion: version, applicationDate: on },
          [],
          { children: nodes },
        ),
      };
    },
    extend(facts, periodTo, params) {
      const from = addMonthsToMonth(periodTo, 1);
      const on = firstOfMonth(from);
      const termMonths = params.use('idp.term-months', on);
      const node = extensionNode({ ...facts, applicationDate: on }, params, automaticExtension);
      return {
        eligible: node.facts.extensionEligible === true,
        newPeriodTo: addMonthsToMonth(periodTo, Number(termMonths.value)),
        explanation: { ...node, parameters: [...node.parameters, termMonths.use], period: from },
      };
    },
    recalculate(facts, period, params) {
      const c = computeMonths(facts, period, params, version);
      return {
        months: c.months,
        explanation: node(
          { id: 'idp.recalculation', title: 'IDP living allowance: recalculation', legalRef: ACT },
          'amount',
          { ruleSetVersion: version },
          [],
          { children: [c.node] },
        ),
      };
    },
  };
}

export const IdpLivingAllowance: Programme = {
  code: IDP_PROGRAMME_CODE,
  title: 'Допомога на проживання ВПО',
  selectorName: 'applicationDate',
  selectorDate: (facts) => facts.applicationDate,
  ruleSets: [
    idpRuleSet('idp-living-allowance@2024-03-01', '2024-03-01', '2025-08-25', false),
    idpRuleSet('idp-living-allowance@2025-08-26', '2025-08-26', null, true),
  ],
};
