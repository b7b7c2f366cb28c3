/** Latin letters that look like Cyrillic ones (mixed-script typing at intake). */
const LOOKALIKES: Record<string, string> = {
  a: 'а',
  c: 'с',
  e: 'е',
  i: 'і',
  k: 'к',
  o: 'о',
  p: 'р',
  x: 'х',
  y: 'у',
  h: 'н',
  m: 'м',
  t: 'т',
  b: 'в',
};

/** One name part normalised for probable-duplicate matching: case, apostrophes, hyphens, spaces and look-alike letters ignored. */
export function normaliseNamePart(value: string | null | undefined): string {
  if (!value) return '';
  return [
    ...value
      .normalize('NFC')
      .toLowerCase()
      .replace(/['’ʼ`"\-\s.]/g, ''),
  ]
    .map((ch) => LOOKALIKES[ch] ?? ch)
    .join('');
}

/** The matching key of a full name: last|first|patronymic, each normalised. */
export function nameKey(lastName: string, firstName: string, patronymic?: string | null): string {
  return [normaliseNamePart(lastName), normaliseNamePart(firstName), normaliseNamePart(patronymic)].join('|');
}
