/**
 * A generator of realistic legacy extracts (docs/migration.md) for the importer's tests and benches:
 * the six files (persons, accounts, households, members, statuses, assignments), streamed with
 * backpressure (memory stays flat at a million persons), CP1251 or UTF-8, optionally gzip, and
 * deterministic for a seed (its own PRNG, no Math.random).
 *
 * Content: Ukrainian names by sex (patronymics derived from male first names), birth dates 1930–2024,
 * РНОКПП whose first five digits are the birth date and whose 9th digit's parity is the sex (unique by
 * construction), УНЗР for some, phones, UA IBANs of real banks (mod-97), КАТОТТГ under the real oblast
 * prefixes, legacy address texts, households of 1–5 persons, statuses, accounts and IDP assignments.
 *
 * Duplicates (`duplicateRate` of the persons): exact ones (the same РНОКПП, name and birth date under
 * another legacy id or source system: the importer links them) and probable ones (a spelling variant
 * of the name, the same birth date, another valid identifier: a duplicate review). Bad rows: for each
 * reject code a file can produce, `badRate` of its rows are injected rows with exactly that one fault
 * (and nothing refers to them); the manifest names each one's line, field and code.
 */
import { encode } from 'iconv-lite';
import { once } from 'node:events';
import { closeSync, createWriteStream, mkdirSync, openSync, statSync, writeSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { createGzip, type Gzip } from 'node:zlib';
import { IMPORT_ENTITIES, LEGACY_COMMON_COLUMNS, LEGACY_FILE_COLUMNS, type ImportEntity, type LegacySourceSystems } from '@eisss/contracts';
import { nameKey, withRnokppChecksum } from '@eisss/platform';

export const LEGACY_ENTITIES = IMPORT_ENTITIES;
export type LegacyEntity = ImportEntity;
export type LegacySourceSystem = (typeof LegacySourceSystems)[number];

/** Each file's header (docs/migration.md; libs/contracts). */
export const LEGACY_COLUMNS: Record<LegacyEntity, readonly string[]> = Object.fromEntries(
  IMPORT_ENTITIES.map((e) => [e, [...LEGACY_COMMON_COLUMNS, ...LEGACY_FILE_COLUMNS[e]]]),
) as unknown as Record<LegacyEntity, readonly string[]>;

export type RejectCode =
  | 'REQUIRED'
  | 'RNOKPP_CHECKSUM'
  | 'UNZR_FORMAT'
  | 'IBAN_CHECKSUM'
  | 'DATE_INVALID'
  | 'DATE_RANGE'
  | 'KATOTTG_INVALID'
  | 'ENUM_INVALID'
  | 'AMOUNT_INVALID'
  | 'TOO_LONG'
  | 'DUPLICATE_IN_FILE'
  | 'REFERENCE_UNKNOWN'
  | 'ROW_MALFORMED';

/** The reject codes each file's injected bad rows carry (one code per bad row). */
export const BAD_KINDS: Record<LegacyEntity, readonly RejectCode[]> = {
  persons: [
    'REQUIRED',
    'RNOKPP_CHECKSUM',
    'UNZR_FORMAT',
    'DATE_INVALID',
    'DATE_RANGE',
    'KATOTTG_INVALID',
    'ENUM_INVALID',
    'TOO_LONG',
    'DUPLICATE_IN_FILE',
    'ROW_MALFORMED',
  ],
  accounts: ['REQUIRED', 'IBAN_CHECKSUM', 'REFERENCE_UNKNOWN', 'TOO_LONG', 'DUPLICATE_IN_FILE', 'ROW_MALFORMED'],
  households: ['REQUIRED', 'KATOTTG_INVALID', 'ENUM_INVALID', 'TOO_LONG', 'DUPLICATE_IN_FILE', 'ROW_MALFORMED'],
  members: [
    'REQUIRED',
    'DATE_INVALID',
    'DATE_RANGE',
    'ENUM_INVALID',
    'REFERENCE_UNKNOWN',
    'TOO_LONG',
    'DUPLICATE_IN_FILE',
    'ROW_MALFORMED',
  ],
  statuses: [
    'REQUIRED',
    'DATE_INVALID',
    'DATE_RANGE',
    'KATOTTG_INVALID',
    'ENUM_INVALID',
    'REFERENCE_UNKNOWN',
    'TOO_LONG',
    'DUPLICATE_IN_FILE',
    'ROW_MALFORMED',
  ],
  assignments: [
    'REQUIRED',
    'DATE_INVALID',
    'DATE_RANGE',
    'AMOUNT_INVALID',
    'REFERENCE_UNKNOWN',
    'TOO_LONG',
    'DUPLICATE_IN_FILE',
    'ROW_MALFORMED',
  ],
};

export interface LegacyExtractOptions {
  dir: string;
  /** Distinct good persons (the persons file also holds their duplicates and the bad rows). */
  persons: number;
  seed?: number;
  encoding?: 'cp1251' | 'utf8';
  gzip?: boolean;
  /** Share of bad rows of EACH kind a file can have (default 0.01). */
  badRate?: number;
  /** Only these kinds of bad rows (default: every kind of BAD_KINDS). */
  badKinds?: readonly RejectCode[];
  /** Share of persons repeated as an exact or probable duplicate (default 0.03). */
  duplicateRate?: number;
  /** The source system of the extract's rows (default asopd); exact duplicates also come under another. */
  sourceSystem?: LegacySourceSystem;
  /** Today (YYYY-MM-DD): no good date is after it; the DATE_RANGE rows are. Default: the current UTC date. */
  today?: string;
  /** Called about every 10 000 persons and at the end. */
  onProgress?: (p: { persons: number; rows: number; bytes: number }) => void;
}

export interface ExpectedReject {
  file: string;
  entity: LegacyEntity;
  line: number;
  legacyId: string | null;
  field: string;
  code: RejectCode;
}

export interface DuplicateRow {
  line: number;
  sourceSystem: string;
  legacyId: string;
  /** The person row it repeats. */
  ofLine: number;
  ofLegacyId: string;
  /** How the name was written differently (probable duplicates): apostrophe, case, latin, hyphen, i-y, ye-e. */
  variant?: string;
}

export interface LegacyExtractManifest {
  seed: number;
  persons: number;
  encoding: 'cp1251' | 'utf8';
  gzip: boolean;
  sourceSystem: LegacySourceSystem;
  today: string;
  badRate: number;
  duplicateRate: number;
  /** Per entity: the file name in the dir, its data rows (header excluded), its rejected rows, its encoded bytes and its size on disk. */
  files: Record<LegacyEntity, { path: string; rows: number; rejected: number; bytes: number; size: number }>;
  /** Every row the importer must reject, in file order then line order (header = line 1). */
  rejects: ExpectedReject[];
  /** Person rows with the РНОКПП, name and birth date of an earlier row: linked to it (no new person). */
  exactDuplicates: DuplicateRow[];
  /** Person rows whose normalised name (social-register's nameKey) and birth date match an earlier row's: created, with a duplicate review. */
  probableDuplicates: DuplicateRow[];
  /** Spelling variants the normalised name does not catch (і/и, є/е): created, no review. */
  unmatchedVariants: DuplicateRow[];
  /** What a correct import applies. */
  expected: {
    persons: { created: number; linked: number; reviews: number };
    households: number;
    members: number;
    statuses: number;
    statusesByType: Record<string, number>;
    accounts: number;
    assignments: number;
  };
  rejectCounts: Record<string, number>;
}

// ---- names ------------------------------------------------------------------------------------

const MALE_FIRST = `Олександр Андрій Сергій Володимир Дмитро Іван Микола Василь Юрій Віктор Петро Михайло Олег Ігор Богдан Тарас
Роман Максим Павло Степан Григорій Анатолій Валерій Віталій Ярослав Євген Леонід Борис Федір Антон Артем Денис Назар Остап Орест
Святослав Станіслав Ростислав Мирослав Владислав Вадим Валентин Геннадій Костянтин Кирило Данило Матвій Марко Тимофій Арсеній
Олексій Руслан Едуард Семен Захар Нестор Лук'ян Дем'ян Яків Лев Ілля Микита Вʼячеслав Устим Любомир Зіновій Омелян Панас Гнат
Тимур Аркадій Вячеслав Георгій Герман Едуард Ілларіон Йосип Кузьма Левко Мар'ян Мефодій Назарій Охрім Пилип Прокіп Савелій
Северин Трохим Фелікс Харитон Яким Ярема Всеволод Веніамін Валерій Адам Айдар Альберт Богдан Борислав Вікентій Віталій Гліб
Дорофій Еміль Жорж Зорян Іларіон Кім Леон Марʼян Мирон Нікіта Орест Платон Радим Сава Тадей Філіп Юліан Ян`
  .split(/\s+/)
  .filter((v, i, a) => a.indexOf(v) === i && !v.includes('ʼ'));

const FEMALE_FIRST = `Олена Ірина Наталія Тетяна Оксана Світлана Юлія Людмила Галина Марія Ольга Анна Катерина Вікторія Надія Любов
Валентина Ніна Лариса Зоя Софія Дарина Анастасія Мар'яна Христина Соломія Уляна Ярослава Богдана Зоряна Леся Лілія Алла Інна Віра
Раїса Тамара Ганна Євгенія Ангеліна Діана Єлизавета Поліна Злата Мирослава Олександра Аліна Вероніка Кіра Ксенія Антоніна Степанія
Параска Марина Жанна Таїсія Емілія Маргарита Василина Нонна Фаїна Лідія Клавдія Зінаїда Домініка Роксолана Орися Стефанія
Остапа Богдана Мілана Яна Ева Аріна Вірсавія Дарія Єва Ізабелла Ілона Іванна Калина Лада Лукія Любомира Магдалина Мирослава
Неля Одарка Олеся Регіна Римма Руслана Сабіна Серафима Снiжана Таміла Тереза Устина Феодосія Христина Юстина Ядвіга Ярина
Віолета Владислава Галя Даря Емма Жанета Зореслава Інеса Карина Лариса Мілена Наталя Оля Петрина`
  .split(/\s+/)
  .filter((v, i, a) => a.indexOf(v) === i && !/[a-z]/.test(v));

/** Patronymics that the suffix rules do not derive. */
const PATRONYMIC_OVERRIDES: Record<string, [string, string]> = {
  Григорій: ['Григорович', 'Григорівна'],
  Микола: ['Миколайович', 'Миколаївна'],
  Ілля: ['Ілліч', 'Іллівна'],
  Кузьма: ['Кузьмич', 'Кузьмівна'],
  Яків: ['Якович', 'Яківна'],
  Лев: ['Львович', 'Львівна'],
  Федір: ['Федорович', 'Федорівна'],
  Прокіп: ['Прокопович', 'Прокопівна'],
  Левко: ['Левкович', 'Левківна'],
  Сава: ['Савич', 'Савівна'],
  Нікіта: ['Нікітович', 'Нікітівна'],
  Микита: ['Микитович', 'Микитівна'],
  Захар: ['Захарович', 'Захарівна'],
  Ярема: ['Яремович', 'Яремівна'],
};

/** The patronymic of a child of a father named `first`: [son's, daughter's]. */
export function patronymicsOf(first: string): [string, string] {
  const o = PATRONYMIC_OVERRIDES[first];
  if (o) return o;
  if (first.endsWith('ій')) return [first.slice(0, -2) + 'ійович', first.slice(0, -2) + 'іївна'];
  if (first.endsWith('й')) return [first + 'ович', first.slice(0, -1) + 'ївна'];
  if (first.endsWith('о')) return [first.slice(0, -1) + 'ович', first.slice(0, -1) + 'івна'];
  if (first.endsWith('ь')) return [first + 'ович', first.slice(0, -1) + 'івна'];
  if (first.endsWith('а') || first.endsWith('я')) return [first.slice(0, -1) + 'ич', first.slice(0, -1) + 'івна'];
  return [first + 'ович', first + 'івна'];
}

const SURNAME_PLAIN =
  `Шевченко Коваленко Бондаренко Ткаченко Кравченко Олійник Шевчук Поліщук Лисенко Мельник Бойко Ковальчук Мороз Савченко
Петренко Марченко Руденко Клименко Павленко Левченко Харченко Гончаренко Кузьменко Карпенко Семенко Власенко Іваненко Литвиненко
Мартинюк Кравчук Ковальов Романюк Тимошенко Гуменюк Пономаренко Юрченко Яковенко Кириленко Степаненко Мазур Кушнір Вакуленко
Гаврилюк Дячук Захарченко Онищенко Приходько Панченко Білик Тарасенко Дмитренко Костенко Зінченко Гордієнко Ярошенко Лук'яненко
Сидоренко Нестеренко Коломієць Паламарчук Остапенко Шаповал Демченко Данилюк Козак Лозинський Гнатюк Мельничук Бабенко Ковтун
Собко Ващенко Головко Фесенко Тищенко Мирошниченко Оліфіренко Пилипенко Рибак Сорока Ющенко Грищенко Денисенко Назаренко Чорновол
Гребенюк Савчук Волошин Ткачук Антонюк Вдовиченко Гуцул Дорошенко Федоренко Шульга Стасюк Прокопенко Бондар Коваль Ткач Швець
Гончар Кучер Бублик Вовк Заєць Лис Голуб Сокіл Півень Горобець Соловей Чайка Кривоніс Білоус Довгань Кучма Рябоконь Нечипоренко
Ярмоленко Симоненко Яременко Тимченко Матвієнко Бурлака Гайдамака Чумак Кобзар Скрипник Свириденко Дем'яненко П'ятак Бережний
Мостовий Лелека Пугач Дзюба Гринчук Слободян Процик Федорчук Василишин Михайлишин Іванишин Семків Петрів Гнатів Стефанів
Кравців Бабій Кульчицький Гордійчук Бенько Сеньків Хомич Гук Шостак Ничипорук Остапчук Якимчук Лук'янчук Олексюк Дударенко
Гетьман Бакланов Гладун Лобода Оверко Сало Цимбал Штепа Ярош Ємельяненко Єременко Єрмоленко Євтушенко Ігнатенко Онопрієнко`
    .split(/\s+/)
    .filter((v, i, a) => a.indexOf(v) === i);

/** Surnames with a feminine form: [male, female]. */
const SURNAME_GENDERED: [string, string][] = `Ковальський Лозинський Вишневський Садовський Зелінський Ковалевський Білецький Городецький
Яворський Стецький Савицький Пашковський Левицький Чорний Білий Рудий Сивий Малий Сірий Довгий Гайовий Лановий Біловський
Яновський Підгірний Заболотний Курилецький Романовський Дубовий Кривий Гірський Тарнавський Вербицький Ольшанський`
  .split(/\s+/)
  .filter((v, i, a) => a.indexOf(v) === i)
  .map((m): [string, string] => [m, m.slice(0, -2) + 'а']);

const SURNAMES: [string, string][] = [
  ...SURNAME_PLAIN.filter((s) => !SURNAME_GENDERED.some(([m]) => m === s)).map((s): [string, string] => [
    s,
    s.endsWith('ий') ? s.slice(0, -2) + 'а' : s,
  ]),
  ...SURNAME_GENDERED,
];

// ---- territories ------------------------------------------------------------------------------

interface Oblast {
  code: string;
  name: string;
  cities: string[];
  weight: number;
  occupied?: boolean;
}

const OBLASTS: Oblast[] = [
  { code: '05', name: 'Вінницька', cities: ['Вінниця', 'Жмеринка', 'Козятин', 'Могилів-Подільський'], weight: 4 },
  { code: '07', name: 'Волинська', cities: ['Луцьк', 'Ковель', 'Нововолинськ'], weight: 2 },
  { code: '12', name: 'Дніпропетровська', cities: ['Дніпро', 'Кривий Ріг', "Кам'янське", 'Нікополь', 'Павлоград'], weight: 8 },
  { code: '14', name: 'Донецька', cities: ['Краматорськ', "Слов'янськ", 'Покровськ', 'Маріуполь', 'Бахмут'], weight: 3, occupied: true },
  { code: '18', name: 'Житомирська', cities: ['Житомир', 'Бердичів', 'Коростень'], weight: 3 },
  { code: '21', name: 'Закарпатська', cities: ['Ужгород', 'Мукачево', 'Хуст'], weight: 3 },
  { code: '23', name: 'Запорізька', cities: ['Запоріжжя', 'Мелітополь', 'Бердянськ', 'Енергодар'], weight: 4, occupied: true },
  { code: '26', name: 'Івано-Франківська', cities: ['Івано-Франківськ', 'Калуш', 'Коломия'], weight: 3 },
  { code: '32', name: 'Київська', cities: ['Біла Церква', 'Бровари', 'Бориспіль', 'Ірпінь', 'Буча'], weight: 5 },
  { code: '35', name: 'Кіровоградська', cities: ['Кропивницький', 'Олександрія', 'Світловодськ'], weight: 2 },
  { code: '44', name: 'Луганська', cities: ['Сєвєродонецьк', 'Лисичанськ', 'Старобільськ'], weight: 1, occupied: true },
  { code: '46', name: 'Львівська', cities: ['Львів', 'Дрогобич', 'Червоноград', 'Стрий', 'Самбір'], weight: 6 },
  { code: '48', name: 'Миколаївська', cities: ['Миколаїв', 'Первомайськ', 'Вознесенськ'], weight: 3 },
  { code: '51', name: 'Одеська', cities: ['Одеса', 'Ізмаїл', 'Чорноморськ', 'Білгород-Дністровський'], weight: 6 },
  { code: '53', name: 'Полтавська', cities: ['Полтава', 'Кременчук', 'Лубни', 'Миргород'], weight: 3 },
  { code: '56', name: 'Рівненська', cities: ['Рівне', 'Вараш', 'Дубно'], weight: 3 },
  { code: '59', name: 'Сумська', cities: ['Суми', 'Конотоп', 'Шостка', 'Охтирка'], weight: 2 },
  { code: '61', name: 'Тернопільська', cities: ['Тернопіль', 'Чортків', 'Кременець'], weight: 2 },
  { code: '63', name: 'Харківська', cities: ['Харків', 'Лозова', 'Ізюм', 'Чугуїв', "Куп'янськ"], weight: 6, occupied: true },
  { code: '65', name: 'Херсонська', cities: ['Херсон', 'Нова Каховка', 'Скадовськ'], weight: 2, occupied: true },
  { code: '68', name: 'Хмельницька', cities: ['Хмельницький', "Кам'янець-Подільський", 'Шепетівка'], weight: 3 },
  { code: '71', name: 'Черкаська', cities: ['Черкаси', 'Умань', 'Сміла'], weight: 3 },
  { code: '73', name: 'Чернівецька', cities: ['Чернівці', 'Новодністровськ', 'Хотин'], weight: 2 },
  { code: '74', name: 'Чернігівська', cities: ['Чернігів', 'Ніжин', 'Прилуки'], weight: 2 },
  { code: '80', name: 'м. Київ', cities: ['Київ'], weight: 10 },
  { code: '01', name: 'Автономна Республіка Крим', cities: ['Сімферополь', 'Керч', 'Ялта'], weight: 0, occupied: true },
  { code: '85', name: 'м. Севастополь', cities: ['Севастополь'], weight: 0, occupied: true },
];

const STREETS = `Шевченка|Франка|Лесі Українки|Грушевського|Незалежності|Соборна|Миру|Центральна|Садова|Шкільна|Зелена|Польова|
Молодіжна|Лісова|Гагаріна|Київська|Весняна|Набережна|Хмельницького|Сагайдачного|Мазепи|Бандери|Коновальця|Героїв Майдану|
Січових Стрільців|Володимира Великого|Ярослава Мудрого|Короленка|Коцюбинського|Сковороди|Котляревського|Лисенка|Вишнева|Степова`
  .split('|')
  .map((s) => s.trim());

// ---- PRNG and helpers -------------------------------------------------------------------------

/** sfc32: small, fast, seedable. */
class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(seed: number) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 16; i++) this.next();
  }
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    if (hi < lo) return hi;
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.next() * arr.length)];
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(Math.floor(this.next() * 10));
    return s;
  }
}

function weighted<T extends { weight: number }>(rng: Rng, items: readonly T[]): T {
  const total = items.reduce((a, x) => a + x.weight, 0);
  let r = rng.next() * total;
  for (const x of items) if ((r -= x.weight) < 0) return x;
  return items[items.length - 1];
}

/** Days since 1970-01-01 of a civil date (Hinnant), and back. */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
function civilFromDays(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}
const p2 = (n: number) => (n < 10 ? '0' + n : String(n));
function iso(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${y}-${p2(m)}-${p2(d)}`;
}
function dotted(day: number): string {
  const [y, m, d] = civilFromDays(day);
  return `${p2(d)}.${p2(m)}.${y}`;
}
function parseIso(s: string): number {
  const [y, m, d] = s.split('-').map(Number);
  return daysFromCivil(y, m, d);
}
const RNOKPP_EPOCH = daysFromCivil(1899, 12, 31);
const firstOfMonth = (day: number) => {
  const [y, m] = civilFromDays(day);
  return daysFromCivil(y, m, 1);
};
const addMonths = (day: number, n: number) => {
  const [y, m] = civilFromDays(day);
  const t = y * 12 + (m - 1) + n;
  return daysFromCivil(Math.floor(t / 12), (t % 12) + 1, 1);
};
const addYears = (day: number, n: number) => {
  const [y, m, d] = civilFromDays(day);
  return daysFromCivil(y + n, m, Math.min(d, m === 2 ? 28 : d));
};

/** ISO 13616 check digits of a UA IBAN's 25-character BBAN (6-digit МФО + 19-digit account). */
function uaIban(bban: string): string {
  const s = bban + '301000'; // U=30 A=10 00
  let r = 0;
  for (let i = 0; i < s.length; i += 7) r = Number(String(r) + s.slice(i, i + 7)) % 97;
  return 'UA' + p2(98 - r) + bban;
}

/** A set of 64-bit hashes (open addressing, two Uint32Arrays): no two good persons share a name key and birth date. */
class KeySet {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private mask: number;
  private size = 0;
  constructor(expected: number) {
    let cap = 1024;
    while (cap < expected * 2) cap *= 2;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.mask = cap - 1;
  }
  private static hash(s: string): [number, number] {
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ s.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    return [(h1 >>> 0) | 1, h2 >>> 0];
  }
  has(s: string): boolean {
    const [a, b] = KeySet.hash(s);
    for (let i = a & this.mask; this.hi[i] !== 0; i = (i + 1) & this.mask) if (this.hi[i] === a && this.lo[i] === b) return true;
    return false;
  }
  add(s: string): void {
    if (this.size * 2 > this.mask) this.grow();
    const [a, b] = KeySet.hash(s);
    this.put(a, b);
  }
  private put(a: number, b: number): void {
    let i = a & this.mask;
    for (; this.hi[i] !== 0; i = (i + 1) & this.mask) if (this.hi[i] === a && this.lo[i] === b) return;
    this.hi[i] = a;
    this.lo[i] = b;
    this.size++;
  }
  private grow(): void {
    const [hi, lo] = [this.hi, this.lo];
    this.hi = new Uint32Array(hi.length * 2);
    this.lo = new Uint32Array(hi.length * 2);
    this.mask = this.hi.length - 1;
    this.size = 0;
    for (let i = 0; i < hi.length; i++) if (hi[i] !== 0) this.put(hi[i], lo[i]);
  }
}

// ---- output files -----------------------------------------------------------------------------

const FLUSH_AT = 256 * 1024;

/** One CSV file: rows buffered into ~256 KiB strings, encoded and written with backpressure. */
class CsvOut {
  line = 1;
  rows = 0;
  rejected = 0;
  bytes = 0;
  private buf = '';
  private readonly sink: Writable;
  private readonly file: WriteStream;
  private readonly done: Promise<void>;

  constructor(
    readonly name: string,
    path: string,
    private readonly encoding: 'cp1251' | 'utf8',
    gzip: boolean,
    header: readonly string[],
  ) {
    this.file = createWriteStream(path, { highWaterMark: 1024 * 1024 });
    this.done = once(this.file, 'close').then(() => undefined);
    if (gzip) {
      const z: Gzip = createGzip({ level: 6 });
      z.pipe(this.file);
      this.sink = z;
    } else this.sink = this.file;
    this.buf = header.join(';') + '\r\n';
  }

  /** Appends a row (values quoted when they hold `;`, `"` or a line break); answers its line. */
  row(values: readonly string[]): number {
    let s = '';
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (i > 0) s += ';';
      s += /[;"\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
    }
    this.buf += s + '\r\n';
    this.rows++;
    return ++this.line;
  }

  /** Appends a raw line as is (a malformed row). */
  raw(text: string): number {
    this.buf += text + '\r\n';
    this.rows++;
    return ++this.line;
  }

  get full(): boolean {
    return this.buf.length >= FLUSH_AT;
  }

  async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const bytes = this.encoding === 'cp1251' ? encode(this.buf, 'win1251') : Buffer.from(this.buf, 'utf8');
    this.buf = '';
    this.bytes += bytes.length;
    if (!this.sink.write(bytes)) await once(this.sink, 'drain');
  }

  async end(): Promise<void> {
    await this.flush();
    this.sink.end();
    await this.done;
  }
}

// ---- the generator ----------------------------------------------------------------------------

interface Person {
  legacyId: string;
  line: number;
  rnokpp: string;
  unzr: string;
  last: string;
  first: string;
  patr: string;
  birth: number;
  male: boolean;
  death: number | null;
  katottg: string;
  address: string;
  actual: string;
  phone: string;
  idp: boolean;
  disabled: boolean;
  fields: string[];
}

const BANKS: { code: string; weight: number }[] = [
  { code: '305299', weight: 40 }, // ПриватБанк
  { code: '322001', weight: 20 }, // Універсал Банк (monobank)
  { code: '300465', weight: 15 }, // Ощадбанк
  { code: '320649', weight: 4 },
  { code: '300528', weight: 4 }, // ОТП Банк
  { code: '380805', weight: 5 }, // Райффайзен Банк
  { code: '334851', weight: 5 }, // ПУМБ
  { code: '351005', weight: 3 }, // Укрсиббанк
  { code: '322313', weight: 2 }, // Укрексімбанк
  { code: '300614', weight: 2 }, // Креді Агріколь
];
const OPERATORS = ['50', '66', '95', '99', '67', '68', '96', '97', '98', '63', '73', '93', '91'];
const ADULT = 18;

export async function generateLegacyExtract(opts: LegacyExtractOptions): Promise<LegacyExtractManifest> {
  const seed = opts.seed ?? 1;
  const encoding = opts.encoding ?? 'cp1251';
  const gzip = opts.gzip ?? false;
  const badRate = opts.badRate ?? 0.01;
  const dupRate = opts.duplicateRate ?? 0.03;
  const source: LegacySourceSystem = opts.sourceSystem ?? 'asopd';
  const todayIso = opts.today ?? new Date().toISOString().slice(0, 10);
  const today = parseIso(todayIso);
  const rng = new Rng(seed);
  const ext = gzip ? '.csv.gz' : '.csv';
  mkdirSync(opts.dir, { recursive: true });

  const out = {} as Record<LegacyEntity, CsvOut>;
  for (const e of LEGACY_ENTITIES) out[e] = new CsvOut(e + ext, join(opts.dir, e + ext), encoding, gzip, LEGACY_COLUMNS[e]);

  const rejects: ExpectedReject[] = [];
  const exactDuplicates: DuplicateRow[] = [];
  const probableDuplicates: DuplicateRow[] = [];
  const unmatchedVariants: DuplicateRow[] = [];
  const statusesByType: Record<string, number> = {};
  const good: Record<LegacyEntity, number> = { persons: 0, accounts: 0, households: 0, members: 0, statuses: 0, assignments: 0 };
  const keys = new KeySet(opts.persons * 1.1);
  const issued = new Uint16Array(2 * 60000); // РНОКПП serials per (birth day, sex)
  const unzrIssued = new Uint16Array(60000);
  const seq: Record<string, number> = {};
  const lastGood: Partial<Record<LegacyEntity, string[]>> = {};
  const pending: { at: number; p: Person }[] = [];

  const PREFIX: Record<LegacySourceSystem, string> = { asopd: 'OS', komtekh: 'KT', edarp: 'ED', subsidies: 'SB' };
  const LETTER: Record<LegacyEntity, string> = {
    persons: 'P',
    accounts: 'A',
    households: 'H',
    members: 'M',
    statuses: 'S',
    assignments: 'C',
  };
  const nextId = (entity: LegacyEntity, src: LegacySourceSystem = source): string => {
    const k = src + entity;
    const n = (seq[k] = (seq[k] ?? 0) + 1);
    return entity === 'assignments'
      ? `${PREFIX[src]}/${String(n).padStart(7, '0')}`
      : `${PREFIX[src]}-${LETTER[entity]}${String(n).padStart(7, '0')}`;
  };
  const fmtDate = (day: number, src: LegacySourceSystem = source) => (src === 'komtekh' || src === 'edarp' ? dotted(day) : iso(day));
  const fmtSex = (male: boolean, src: LegacySourceSystem = source) =>
    src === 'komtekh' ? (male ? 'Ч' : 'Ж') : src === 'edarp' ? (male ? 'M' : 'F') : male ? 'male' : 'female';
  const reject = (entity: LegacyEntity, line: number, legacyId: string | null, field: string, code: RejectCode) => {
    rejects.push({ file: out[entity].name, entity, line, legacyId, field, code });
    out[entity].rejected++;
  };

  // -- identifiers --
  const rnokppFor = (birth: number, male: boolean): string => {
    const day = birth - RNOKPP_EPOCH;
    const slot = day * 2 + (male ? 1 : 0);
    const k = issued[slot]++;
    if (k >= 5000) throw new Error('more than 5000 РНОКПП for one birth day and sex');
    const j = (k * 2039 + day * 31) % 5000;
    const serial = String(Math.floor(j / 5)).padStart(3, '0');
    const sexDigit = 2 * (j % 5) + (male ? 1 : 0);
    return withRnokppChecksum(String(day).padStart(5, '0') + serial + String(sexDigit));
  };
  const unzrFor = (birth: number): string => {
    const day = birth - RNOKPP_EPOCH;
    const k = unzrIssued[day]++;
    const n = (k * 7919 + day * 13) % 100000;
    return iso(birth).replace(/-/g, '') + '-' + String(n).padStart(5, '0');
  };
  const katottgIn = (o: Oblast): string => {
    if (o.code === '80')
      return `UA80000000000${rng.pick(['093317', '126643', '392881', '511538', '625414', '719044', '875983', '980481'])}`;
    const raion = p2(rng.int(1, 8) * 2);
    const hromada = String(rng.int(1, 45) * 10 + 10).padStart(3, '0');
    return `UA${o.code}${raion}${hromada}001${rng.chance(0.8) ? '00' : p2(rng.int(1, 9))}${rng.digits(5)}`;
  };
  const addressIn = (o: Oblast, city: string): string => {
    const street = rng.pick(STREETS);
    const kind = rng.chance(0.85) ? 'вул.' : rng.pick(['просп.', 'пров.', 'бульв.']);
    const house = `буд. ${rng.int(1, 180)}${rng.chance(0.1) ? rng.pick(['а', 'б', '/2']) : ''}`;
    const flat = rng.chance(0.6) ? `, кв. ${rng.int(1, 320)}` : '';
    const region = o.code === '80' || o.code === '85' ? '' : `${o.name} обл., `;
    const quoted = rng.chance(0.02) ? ` (ЖК "${rng.pick(['Сонячний', 'Оберіг', 'Липки', 'Комфорт'])}")` : '';
    return `${region}м. ${city}, ${kind} ${street}, ${house}${flat}${quoted}`;
  };
  const phone = (): string => {
    const n = rng.pick(OPERATORS) + rng.digits(7);
    const f = rng.next();
    return f < 0.8 ? '+380' + n : f < 0.9 ? '380' + n : '0' + n;
  };
  const ibanFor = (): string => {
    const bank = weighted(rng, BANKS).code;
    const acc = '00000' + rng.pick(['2620', '2625', '2625', '2625']) + rng.digits(10);
    const iban = uaIban(bank + acc);
    return rng.chance(0.05) ? iban.replace(/(.{4})/g, '$1 ').trim() : iban;
  };

  // -- persons --
  const personFields = (p: Person, src: LegacySourceSystem = source): string[] => [
    src,
    p.legacyId,
    p.rnokpp,
    p.unzr,
    p.last,
    p.first,
    p.patr,
    fmtDate(p.birth, src),
    fmtSex(p.male, src),
    p.death === null ? '' : fmtDate(p.death, src),
    p.katottg,
    p.address,
    p.actual,
    p.phone,
  ];

  interface NewPerson {
    male: boolean;
    birth: number;
    last?: [string, string];
    patrFrom?: string;
    katottg: string;
    address: string;
    ids?: 'auto' | 'unzr';
  }
  const makePerson = (n: NewPerson, register: boolean): Person => {
    const lastPair = n.last ?? rng.pick(SURNAMES);
    const last = n.male ? lastPair[0] : rng.chance(0.02) ? `${lastPair[1]}-${rng.pick(SURNAMES)[1]}` : lastPair[1];
    let first = '';
    let patr = '';
    for (let attempt = 0; ; attempt++) {
      first = rng.pick(n.male ? MALE_FIRST : FEMALE_FIRST);
      const father = n.patrFrom ?? rng.pick(MALE_FIRST);
      patr = patronymicsOf(father)[n.male ? 0 : 1];
      if (!register) break;
      const key = nameKey(last, first, patr) + '|' + n.birth;
      if (!keys.has(key)) {
        keys.add(key);
        break;
      }
      if (attempt > 50) throw new Error('cannot find a unique name');
    }
    const age = (today - n.birth) / 365.25;
    const unzrOnly = n.ids === 'unzr' || (age < 14 ? rng.chance(0.5) : rng.chance(0.03));
    const rnokpp = unzrOnly ? '' : rnokppFor(n.birth, n.male);
    const unzr = unzrOnly || (age < 30 && rng.chance(0.15)) ? unzrFor(n.birth) : '';
    return {
      legacyId: '',
      line: 0,
      rnokpp,
      unzr,
      last,
      first,
      patr,
      birth: n.birth,
      male: n.male,
      death: null,
      katottg: n.katottg,
      address: n.address,
      actual: '',
      phone: age >= 16 && rng.chance(0.65) ? phone() : '',
      idp: false,
      disabled: false,
      fields: [],
    };
  };
  const birthBetween = (from: number, to: number) =>
    rng.int(Math.max(from, parseIso('1930-01-01')), Math.min(to, parseIso('2024-12-31'), today - 1));

  const writePerson = (p: Person): void => {
    p.legacyId = nextId('persons');
    p.fields = personFields(p);
    p.line = out.persons.row(p.fields);
    good.persons++;
    lastGood.persons = p.fields;
    injectBad('persons');
    if (rng.chance(dupRate)) pending.push({ at: good.persons + rng.int(1, 3000), p });
  };

  /** A duplicate of an earlier good person: exact (same РНОКПП) or a spelling variant (probable). */
  const writeDuplicate = (p: Person): void => {
    const r = rng.next();
    if (r < 0.5 && p.rnokpp !== '') {
      const src: LegacySourceSystem = rng.chance(0.5)
        ? source
        : rng.pick((['asopd', 'komtekh', 'edarp', 'subsidies'] as const).filter((s) => s !== source));
      const legacyId = nextId('persons', src);
      const upper = src === 'komtekh' && rng.chance(0.5);
      const q: Person = {
        ...p,
        legacyId,
        last: upper ? p.last.toUpperCase() : p.last,
        first: upper ? p.first.toUpperCase() : p.first,
        patr: upper ? p.patr.toUpperCase() : p.patr,
        phone: rng.chance(0.5) ? p.phone : '',
      };
      const line = out.persons.row(personFields(q, src));
      exactDuplicates.push({ line, sourceSystem: src, legacyId, ofLine: p.line, ofLegacyId: p.legacyId });
      return;
    }
    const kinds = r < 0.9 ? ['apostrophe', 'latin', 'case', 'hyphen'] : ['i-y', 'ye-e'];
    const variant = spell(p, rng.pick(kinds));
    if (!variant) return;
    const matched = nameKey(variant.last, variant.first, variant.patr) === nameKey(p.last, p.first, p.patr);
    if (!matched) {
      const key = nameKey(variant.last, variant.first, variant.patr) + '|' + p.birth;
      if (keys.has(key)) return;
      keys.add(key);
    }
    const legacyId = nextId('persons');
    const useUnzr = rng.chance(0.3);
    const q: Person = {
      ...p,
      ...variant,
      legacyId,
      rnokpp: useUnzr ? '' : rnokppFor(p.birth, p.male),
      unzr: useUnzr ? unzrFor(p.birth) : '',
      phone: rng.chance(0.3) ? phone() : '',
    };
    const line = out.persons.row(personFields(q));
    (matched ? probableDuplicates : unmatchedVariants).push({
      line,
      sourceSystem: source,
      legacyId,
      ofLine: p.line,
      ofLegacyId: p.legacyId,
      variant: variant.kind,
    });
  };

  const spell = (p: Person, kind: string): { last: string; first: string; patr: string; kind: string } | null => {
    const { last, first, patr } = p;
    const apostrophe = encoding === 'utf8' ? ['’', 'ʼ', '`', ''] : ['’', '`', ''];
    if (kind === 'apostrophe') {
      for (const part of ['last', 'first', 'patr'] as const)
        if (p[part].includes("'")) return { last, first, patr, [part]: p[part].replace("'", rng.pick(apostrophe)), kind };
      kind = 'latin';
    }
    if (kind === 'hyphen') {
      if (last.includes('-')) return { last: last.replace('-', rng.pick([' ', ''])), first, patr, kind };
      kind = 'case';
    }
    if (kind === 'case') return { last: last.toUpperCase(), first: rng.chance(0.5) ? first.toUpperCase() : first, patr, kind };
    if (kind === 'latin') {
      const lat: Record<string, string> = {
        а: 'a',
        с: 'c',
        е: 'e',
        і: 'i',
        о: 'o',
        р: 'p',
        х: 'x',
        у: 'y',
        к: 'k',
        А: 'A',
        С: 'C',
        Е: 'E',
        І: 'I',
        О: 'O',
        Р: 'P',
        Х: 'X',
        К: 'K',
        Т: 'T',
        М: 'M',
        Н: 'H',
        В: 'B',
      };
      const idx = [...last].map((ch, i) => (lat[ch] ? i : -1)).filter((i) => i >= 0);
      if (idx.length === 0) return { last: last.toUpperCase(), first, patr, kind: 'case' };
      const i = rng.pick(idx);
      return { last: last.slice(0, i) + lat[last[i]] + last.slice(i + 1), first, patr, kind };
    }
    const [from, to] = kind === 'i-y' ? ['і', 'и'] : ['е', 'є'];
    for (const part of ['last', 'first', 'patr'] as const)
      if (p[part].includes(from)) return { last, first, patr, [part]: p[part].replace(from, to), kind };
    return null;
  };

  // -- bad rows --
  const injectBad = (entity: LegacyEntity): void => {
    for (const code of BAD_KINDS[entity])
      if (rng.chance(badRate) && (!opts.badKinds || opts.badKinds.includes(code))) writeBad(entity, code);
  };

  const MONTHS_31 = ['31.02.1980', '30.02.1975', '1985-13-01', '1990-00-10', 'невідомо', '12/05/1970', '00.00.0000', '1971-04-31'];
  const LONG = (n: number) => 'Дуже-Довге-Прізвище-'.repeat(Math.ceil(n / 20)).slice(0, n);

  const writeBad = (entity: LegacyEntity, code: RejectCode): void => {
    const base = lastGood[entity];
    if (code === 'DUPLICATE_IN_FILE') {
      if (!base) return;
      const line = out[entity].row(base);
      reject(entity, line, base[1], 'legacy_id', code);
      return;
    }
    const cols = LEGACY_COLUMNS[entity];
    let row: string[];
    if (entity === 'persons') {
      const o = weighted(rng, OBLASTS);
      const p = makePerson(
        { male: rng.chance(0.5), birth: birthBetween(parseIso('1940-01-01'), parseIso('2005-12-31')), katottg: katottgIn(o), address: '' },
        false,
      );
      if (p.rnokpp === '') p.rnokpp = rnokppFor(p.birth, p.male);
      p.unzr = '';
      p.legacyId = nextId('persons');
      row = personFields(p);
    } else {
      if (!base) return;
      row = [...base];
      row[1] = nextId(entity);
    }
    const set = (field: string, value: string) => (row[cols.indexOf(field)] = value);
    const get = (field: string) => row[cols.indexOf(field)];
    let field = '';
    if (code === 'ROW_MALFORMED') {
      const line = out[entity].raw(row.map((v) => v.replace(/[;"\r\n]/g, ' ')).join(';') + ';' + rng.pick(['зайве поле', '', 'x;y']));
      reject(entity, line, row[1], 'row', code);
      return;
    }
    if (code === 'TOO_LONG') {
      field = rng.pick(
        {
          persons: ['last_name', 'first_name', 'patronymic', 'address_text', 'legacy_id'],
          accounts: ['legacy_id'],
          households: ['address_text', 'legacy_id'],
          members: ['legacy_id'],
          statuses: ['document', 'legacy_id'],
          assignments: ['decision_number', 'legacy_id'],
        }[entity],
      );
      const limit = field === 'address_text' ? 500 : field === 'legacy_id' || field === 'decision_number' ? 64 : 100;
      set(field, field === 'legacy_id' || field === 'decision_number' ? row[1] + '-' + 'X'.repeat(limit) : LONG(limit + rng.int(1, 40)));
    } else if (code === 'ENUM_INVALID') {
      field = rng.pick(
        {
          persons: ['sex', 'sex', 'source_system'],
          accounts: ['source_system'],
          households: ['source_system'],
          members: ['role'],
          statuses: ['type', 'group'],
          assignments: ['source_system'],
        }[entity],
      );
      if (field === 'sex') set('sex', rng.pick(['X', 'чол', 'U', '3']));
      else if (field === 'source_system') set('source_system', rng.pick(['asopd2', 'комтех', 'edrap', 'eisss']));
      else if (field === 'role') set('role', rng.pick(['owner', 'голова', 'child', 'spouse']));
      else if (field === 'type') set('type', rng.pick(['vpo', 'ВПО', 'invalid', 'chornobyl']));
      else {
        set('type', 'disability');
        set('group', rng.pick(['IV', '4', 'II група', 'A']));
        set('origin_katottg', '');
      }
    } else if (code === 'REQUIRED') {
      field = rng.pick(
        {
          persons: ['last_name', 'first_name', 'birth_date', 'sex', 'rnokpp', 'katottg'],
          accounts: ['iban', 'person_legacy_id'],
          households: ['katottg'],
          members: ['role', 'joined_on', 'household_legacy_id', 'person_legacy_id'],
          statuses: ['type', 'valid_from', 'document', 'document_date', 'origin_katottg', 'group'],
          assignments: ['monthly_amount', 'programme_code', 'period_from', 'period_to', 'person_legacy_id'],
        }[entity],
      );
      if (entity === 'persons' && field === 'rnokpp') {
        set('rnokpp', '');
        set('unzr', '');
      } else if (entity === 'persons' && field === 'katottg') {
        set('katottg', '');
        set('address_text', '');
        set('actual_katottg', '');
      } else if (entity === 'statuses' && field === 'group') {
        set('type', 'disability');
        set('group', '');
        set('origin_katottg', '');
      } else if (entity === 'statuses' && ['document', 'document_date', 'origin_katottg'].includes(field)) {
        set('type', 'idp');
        if (get('origin_katottg') === '') set('origin_katottg', 'UA14160050000036863');
        if (get('document') === '') set('document', '0000-' + rng.digits(10));
        if (get('document_date') === '') set('document_date', get('valid_from'));
        set('group', '');
        set(field, '');
      } else set(field, '');
    } else if (code === 'RNOKPP_CHECKSUM') {
      field = 'rnokpp';
      const v = get('rnokpp');
      const f = rng.next();
      set(
        'rnokpp',
        f < 0.7 ? v.slice(0, 9) + String((Number(v[9]) + rng.int(1, 9)) % 10) : f < 0.85 ? v.slice(0, 9) : v.slice(0, 4) + 'О' + v.slice(5),
      );
    } else if (code === 'UNZR_FORMAT') {
      field = 'unzr';
      set('rnokpp', '');
      const d = iso(parseIso(iso(today)) - rng.int(7000, 20000)).replace(/-/g, '');
      set(
        'unzr',
        rng.pick([
          d.slice(0, 6) + '32-' + rng.digits(5),
          d + rng.digits(5),
          d + '-' + rng.digits(4),
          d.slice(0, 4) + '-' + d.slice(4) + '-' + rng.digits(5),
          '1899' + d.slice(4) + '-' + rng.digits(5),
        ]),
      );
    } else if (code === 'IBAN_CHECKSUM') {
      field = 'iban';
      const v = get('iban').replace(/\s/g, '');
      const i = rng.int(4, 28);
      const f = rng.next();
      set(
        'iban',
        f < 0.7
          ? v.slice(0, i) + String((Number(v[i]) + rng.int(1, 9)) % 10) + v.slice(i + 1)
          : f < 0.85
            ? v.slice(0, 28)
            : 'UA' + v.slice(4),
      );
    } else if (code === 'DATE_INVALID') {
      field = rng.pick(
        {
          persons: ['birth_date', 'birth_date', 'death_date'],
          members: ['joined_on'],
          statuses: ['valid_from', 'valid_to'],
          assignments: ['period_from', 'decision_date'],
        }[entity as 'persons'],
      );
      set(field, rng.pick(MONTHS_31));
    } else if (code === 'DATE_RANGE') {
      if (entity === 'persons') {
        const f = rng.next();
        const birth = parseIso(iso(today)) - rng.int(8000, 25000);
        if (f < 0.4) {
          field = 'birth_date';
          set('birth_date', fmtDate(today + rng.int(1, 1000)));
        } else if (f < 0.55) {
          field = 'birth_date';
          set('birth_date', fmtDate(parseIso('1899-12-31') - rng.int(0, 3000)));
        } else {
          field = 'death_date';
          set('birth_date', fmtDate(birth));
          set('death_date', fmtDate(f < 0.85 ? birth - rng.int(1, 3000) : today + rng.int(1, 300)));
        }
      } else if (entity === 'members') {
        field = 'joined_on';
        set('joined_on', fmtDate(today + rng.int(1, 400)));
      } else if (entity === 'statuses') {
        field = 'valid_to';
        const from = rng.int(parseIso('2015-01-01'), today - 400);
        set('type', 'low_income');
        set('group', '');
        set('origin_katottg', '');
        set('document_date', '');
        set('valid_from', fmtDate(from));
        set('valid_to', fmtDate(from - rng.int(1, 365)));
      } else {
        const from = firstOfMonth(today);
        if (rng.chance(0.5)) {
          field = 'period_from';
          set('period_from', fmtDate(from + rng.int(1, 27)));
          set('period_to', fmtDate(addMonths(from, 6) - 1));
        } else {
          field = 'period_to';
          set('period_from', fmtDate(from));
          set('period_to', fmtDate(rng.chance(0.5) ? addMonths(from, 6) - 1 - rng.int(1, 20) : from - 1));
        }
      }
    } else if (code === 'KATOTTG_INVALID') {
      field = rng.pick(
        { persons: ['katottg', 'katottg', 'actual_katottg'], households: ['katottg'], statuses: ['origin_katottg'] }[entity as 'persons'],
      );
      const good19 = entity === 'statuses' ? 'UA14160050000036863' : get('katottg') || 'UA46060250010015970';
      if (entity === 'statuses') {
        set('type', 'idp');
        set('group', '');
        if (get('document') === '') set('document', '0000-' + rng.digits(10));
        if (get('document_date') === '') set('document_date', get('valid_from'));
      }
      set(
        field,
        rng.pick([
          `UA99${good19.slice(4)}`,
          good19.slice(0, 12),
          good19.slice(2),
          `UA${good19.slice(2, 18)}X`,
          'Київ',
          `UA00${good19.slice(4)}`,
        ]),
      );
    } else if (code === 'REFERENCE_UNKNOWN') {
      field = entity === 'members' && rng.chance(0.3) ? 'household_legacy_id' : 'person_legacy_id';
      set(field, `${PREFIX[source]}-${field === 'household_legacy_id' ? 'H' : 'P'}9${rng.digits(8)}`);
    } else if (code === 'AMOUNT_INVALID') {
      field = 'monthly_amount';
      set('monthly_amount', rng.pick(['12,345', 'abc', '-2000,00', '0,00', '2000,0,0', '3000 грн', '1.2.3', '']) || '2 000,005');
    }
    const line = out[entity].row(row);
    reject(entity, line, row[1], field, code);
  };

  // -- households and the rest --
  const writeStatus = (
    p: Person,
    type: string,
    from: number,
    to: number | null,
    extra: { document?: string; documentDate?: number; group?: string; origin?: string } = {},
  ) => {
    const row = [
      source,
      nextId('statuses'),
      p.legacyId,
      type,
      fmtDate(from),
      to === null ? '' : fmtDate(to),
      extra.document ?? '',
      extra.documentDate === undefined ? '' : fmtDate(extra.documentDate),
      extra.group ?? '',
      extra.origin ?? '',
    ];
    out.statuses.row(row);
    good.statuses++;
    statusesByType[type] = (statusesByType[type] ?? 0) + 1;
    lastGood.statuses = row;
    injectBad('statuses');
  };

  const occupied = OBLASTS.filter((o) => o.occupied);
  const living = OBLASTS.filter((o) => o.weight > 0);
  const hostsOfIdp = living.filter((o) => !o.occupied);

  const emitGroup = async (): Promise<void> => {
    const idp = rng.chance(0.3);
    const o = weighted(rng, idp ? hostsOfIdp : living);
    const city = rng.pick(o.cities);
    const hhKatottg = katottgIn(o);
    const hhAddress = addressIn(o, city);
    const addressOnly = rng.chance(0.1);
    const single = rng.chance(0.12);
    const r = rng.next();
    const size = single ? 1 : r < 0.3 ? 1 : r < 0.58 ? 2 : r < 0.8 ? 3 : r < 0.93 ? 4 : 5;
    const members: { p: Person; role: 'head' | 'recipient' | 'dependant' }[] = [];
    const lastPair = rng.pick(SURNAMES);
    const headMale = rng.chance(0.55);
    const hasChildren = size >= 2 && rng.chance(0.7);
    // ages as in the population: a few of the oldest, most heads born 1950–2000
    const headTo = hasChildren ? parseIso('2002-12-31') : today - ADULT * 366;
    const headFrom = rng.chance(0.15) ? parseIso('1930-01-01') : parseIso('1950-01-01');
    const headBirth = birthBetween(headFrom + Math.floor((headTo - headFrom) * ((rng.next() + rng.next()) / 2) * 0.6), headTo);
    const loc = { katottg: addressOnly ? '' : hhKatottg, address: addressOnly ? hhAddress : rng.chance(0.2) ? hhAddress : '' };
    const head = makePerson({ male: headMale, birth: headBirth, last: lastPair, ...loc }, true);
    members.push({ p: head, role: 'head' });
    let father = headMale ? head.first : rng.pick(MALE_FIRST);
    if (size >= 2 && (!hasChildren || rng.chance(0.75))) {
      const spouse = makePerson(
        { male: !headMale, birth: birthBetween(headBirth - 6 * 365, headBirth + 6 * 365), last: lastPair, ...loc },
        true,
      );
      if (!headMale) father = spouse.first;
      members.push({ p: spouse, role: 'recipient' });
    }
    const childFrom = addYears(headBirth, 18);
    while (members.length < size) {
      if (hasChildren && childFrom < today - 30) {
        const birth = birthBetween(childFrom, addYears(headBirth, 45));
        const male = rng.chance(0.51);
        const c = makePerson({ male, birth, last: lastPair, patrFrom: father, ...loc }, true);
        members.push({ p: c, role: 'dependant' });
      } else {
        // a parent of the head, or (when the head is too old for one) a sibling
        const parentTo = headBirth - 18 * 365;
        const birth =
          parentTo > parseIso('1931-01-01')
            ? birthBetween(headBirth - 40 * 365, parentTo)
            : birthBetween(headBirth - 5 * 365, headBirth + 10 * 365);
        const elder = makePerson({ male: rng.chance(0.4), birth, ...loc }, true);
        members.push({ p: elder, role: rng.chance(0.5) ? 'recipient' : 'dependant' });
      }
    }
    const ageOf = (p: Person, at = today) => (at - p.birth) / 365.25;
    for (const { p } of members) {
      if (!single && rng.chance(0.05)) p.actual = katottgIn(weighted(rng, living));
      if (single && ageOf(p) > 75 && rng.chance(0.2)) p.death = rng.int(Math.max(p.birth + 70 * 365, today - 3000), today - 1);
      writePerson(p);
      while (pending.length > 0 && pending[0].at <= good.persons) writeDuplicate(pending.shift()!.p);
    }

    if (!single) {
      const legacyId = nextId('households');
      const hh = [source, legacyId, hhKatottg, rng.chance(0.6) ? hhAddress : ''];
      out.households.row(hh);
      good.households++;
      lastGood.households = hh;
      injectBad('households');
      const formed = rng.int(Math.max(head.birth + 18 * 366, parseIso('1995-01-01')), today - 1);
      for (const m of members) {
        const row = [source, nextId('members'), legacyId, m.p.legacyId, m.role, fmtDate(Math.min(Math.max(m.p.birth, formed), today - 1))];
        out.members.row(row);
        good.members++;
        lastGood.members = row;
        injectBad('members');
      }
    }

    // statuses
    const idpFrom = rng.int(parseIso('2022-03-01'), Math.max(parseIso('2022-03-01'), today - 60));
    const origin = katottgIn(
      weighted(
        rng,
        occupied.map((x) => ({ ...x, weight: x.code === '01' || x.code === '85' ? 1 : 4 })),
      ),
    );
    const children = members.filter((m) => ageOf(m.p) < 18).length;
    for (const { p, role } of members) {
      if (p.death !== null) continue;
      const age = ageOf(p);
      if (idp && p.birth < idpFrom) {
        p.idp = true;
        writeStatus(p, 'idp', idpFrom, null, {
          document: `${rng.digits(4)}-${rng.digits(10)}`,
          documentDate: idpFrom - rng.int(0, 20),
          origin,
        });
      }
      if (age >= 18 && rng.chance(0.07)) {
        p.disabled = true;
        const from = rng.int(Math.max(p.birth + 18 * 365, parseIso('2005-01-01')), today - 1);
        const permanent = rng.chance(0.4);
        writeStatus(p, 'disability', from, permanent ? null : addYears(from, rng.int(1, 3)) - 1, {
          group: rng.pick(['I', 'II', 'II', 'III', 'III', 'III']),
          document: `МСЕК ${p2(rng.int(1, 99))}-${rng.digits(6)}`,
          documentDate: from,
        });
      } else if (age < 18 && rng.chance(0.02)) {
        p.disabled = true;
        const from = rng.int(p.birth + 30, today - 1);
        writeStatus(p, 'child_with_disability', from, addYears(p.birth, 18) - 1, { document: `ЛКК ${rng.digits(5)}`, documentDate: from });
      }
      if (age >= 60 && rng.chance(0.85)) {
        const from = Math.max(addYears(p.birth, 60), parseIso('1990-01-01'));
        writeStatus(p, 'pensioner', from, null, { document: `ПФУ ${rng.digits(8)}`, documentDate: from });
      }
      if (p.male && age >= 20 && age < 62 && rng.chance(0.06)) {
        const from = rng.int(Math.max(parseIso('2014-06-01'), p.birth + 18 * 365), today - 1);
        writeStatus(p, 'combatant', from, null, { document: `УБД ${rng.digits(6)}`, documentDate: from });
      }
      if (role === 'head' && children >= 3) {
        const from = Math.max(...members.filter((m) => ageOf(m.p) < 18).map((m) => m.p.birth));
        writeStatus(p, 'large_family', from, null, { document: `посвідчення багатодітної сім'ї ${rng.digits(6)}` });
      }
      if (role === 'head' && rng.chance(0.05)) {
        const [y] = civilFromDays(today);
        const from = daysFromCivil(y, 1, 1);
        writeStatus(p, 'low_income', from, daysFromCivil(y, 12, 31), {
          document: `рішення УСЗН № ${rng.int(1, 9999)}`,
          documentDate: from,
        });
      }
    }

    // accounts
    for (const { p } of members) {
      if (p.death !== null || !rng.chance(ageOf(p) >= 16 ? 0.8 : 0.35)) continue;
      const row = [source, nextId('accounts'), p.legacyId, ibanFor()];
      out.accounts.row(row);
      good.accounts++;
      lastGood.accounts = row;
      injectBad('accounts');
    }

    // assignments: ≈40 % of IDP persons with a КАТОТТГ
    for (const { p } of members) {
      if (!p.idp || p.katottg === '' || !rng.chance(0.44)) continue;
      const from = addMonths(firstOfMonth(today), -rng.int(0, 5));
      const child = ageOf(p, from) < 18;
      const amount = child || p.disabled ? '3000,00' : '2000,00';
      const decided = Math.min(from - rng.int(1, 25), today - 1);
      const row = [
        source,
        nextId('assignments'),
        p.legacyId,
        'idp-living-allowance',
        fmtDate(from),
        fmtDate(addMonths(from, 6) - 1),
        rng.chance(0.1) ? amount.replace(',', '.') : amount,
        `${rng.int(1, 9999)}/${civilFromDays(decided)[0]}`,
        fmtDate(decided),
      ];
      out.assignments.row(row);
      good.assignments++;
      lastGood.assignments = row;
      injectBad('assignments');
    }

    for (const e of LEGACY_ENTITIES) if (out[e].full) await out[e].flush();
  };

  let reported = 0;
  const progress = () => {
    const rows = LEGACY_ENTITIES.reduce((a, e) => a + out[e].rows, 0);
    const bytes = LEGACY_ENTITIES.reduce((a, e) => a + out[e].bytes, 0);
    opts.onProgress?.({ persons: good.persons, rows, bytes });
  };
  while (good.persons < opts.persons) {
    await emitGroup();
    if (good.persons - reported >= 10000) {
      reported = good.persons;
      progress();
    }
  }
  while (pending.length > 0) writeDuplicate(pending.shift()!.p);
  for (const e of LEGACY_ENTITIES) await out[e].end();
  progress();

  const order = (e: LegacyEntity) => LEGACY_ENTITIES.indexOf(e);
  rejects.sort((a, b) => order(a.entity) - order(b.entity) || a.line - b.line);
  const rejectCounts: Record<string, number> = {};
  for (const r of rejects) rejectCounts[r.code] = (rejectCounts[r.code] ?? 0) + 1;
  const files = {} as LegacyExtractManifest['files'];
  for (const e of LEGACY_ENTITIES)
    files[e] = {
      path: out[e].name,
      rows: out[e].rows,
      rejected: out[e].rejected,
      bytes: out[e].bytes,
      size: statSync(join(opts.dir, out[e].name)).size,
    };
  const manifest: LegacyExtractManifest = {
    seed,
    persons: opts.persons,
    encoding,
    gzip,
    sourceSystem: source,
    today: todayIso,
    badRate,
    duplicateRate: dupRate,
    files,
    rejects,
    exactDuplicates,
    probableDuplicates,
    unmatchedVariants,
    expected: {
      persons: {
        created: good.persons + probableDuplicates.length + unmatchedVariants.length,
        linked: exactDuplicates.length,
        reviews: probableDuplicates.length,
      },
      households: good.households,
      members: good.members,
      statuses: good.statuses,
      statusesByType,
      accounts: good.accounts,
      assignments: good.assignments,
    },
    rejectCounts,
  };
  writeManifest(join(opts.dir, 'manifest.json'), manifest);
  return manifest;
}

/** manifest.json as JSON.stringify writes it, its long lists in pieces (no 40 MB string at a million persons). */
function writeManifest(path: string, manifest: LegacyExtractManifest): void {
  const fd = openSync(path, 'w');
  try {
    let first = true;
    for (const [key, value] of Object.entries(manifest)) {
      writeSync(fd, `${first ? '{' : ','}${JSON.stringify(key)}:`);
      first = false;
      if (!Array.isArray(value)) {
        writeSync(fd, JSON.stringify(value));
        continue;
      }
      writeSync(fd, '[');
      for (let i = 0; i < value.length; i += 5000)
        writeSync(
          fd,
          (i > 0 ? ',' : '') +
            value
              .slice(i, i + 5000)
              .map((x: unknown) => JSON.stringify(x))
              .join(','),
        );
      writeSync(fd, ']');
    }
    writeSync(fd, '}');
  } finally {
    closeSync(fd);
  }
}
